package org.openledger.studio.datanet.workspace;

import java.nio.ByteBuffer;

/** MinHash signatures as stored: big-endian 32-bit integers. */
final class Signatures {

    private Signatures() {
    }

    static byte[] toBytes(int[] signature) {
        ByteBuffer b = ByteBuffer.allocate(signature.length * 4);
        b.asIntBuffer().put(signature);
        return b.array();
    }

    static int[] fromBytes(byte[] bytes) {
        int[] out = new int[bytes.length / 4];
        ByteBuffer.wrap(bytes).asIntBuffer().get(out);
        return out;
    }
}
