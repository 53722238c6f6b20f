package org.openledger.studio.gpu.safetensors;

/** One tensor as the header describes it: offsets are relative to the start of the data section. */
public record TensorEntry(String name, DType dtype, long[] shape, long begin, long end) {

    public long byteCount() {
        return end - begin;
    }

    public long elementCount() {
        return Tensor.elementCount(shape);
    }
}
