package org.openledger.studio.ui.nodes;

import java.util.Optional;

/**
 * The node the studio works with now, seen through what one view-model asks of it ({@code T}: e.g. the node
 * API's {@code FineTuneApi}); empty while no node has an address. Asked again for every action, since the user may
 * make another node active at any time. {@code NodesViewModel::activeClient} is one; a test passes its own.
 */
@FunctionalInterface
public interface ActiveNode<T> {

    Optional<? extends T> get();
}
