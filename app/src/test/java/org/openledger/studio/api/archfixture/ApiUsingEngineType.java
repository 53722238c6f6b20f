package org.openledger.studio.api.archfixture;

import org.openledger.studio.datanet.contribution.PlannedChunk;

/** Breaks the wire-types rule on purpose: an API record made of an engine's record. Test code only. */
public record ApiUsingEngineType(PlannedChunk chunk) {
}
