package org.openledger.studio.ui.finetune;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;

/** A Datanet the active node holds rows of, offered as training data; {@code selected} when ticked. */
public final class DatanetChoice {

    private final LocalDatanet datanet;
    private final int rows;
    private final BooleanProperty selected = new SimpleBooleanProperty(false);

    DatanetChoice(LocalDatanet datanet, int rows) {
        this.datanet = datanet;
        this.rows = rows;
    }

    public LocalDatanet datanet() {
        return datanet;
    }

    /** Rows the node stored for it, over all finished contributions. */
    public int rows() {
        return rows;
    }

    public BooleanProperty selectedProperty() {
        return selected;
    }

    public String label() {
        return datanet.name() + " — " + Units.count(rows) + " rows on the node";
    }
}
