package org.openledger.studio.api.attribution;

/** What the Attribution section asks a node: its records and its influence indexes. */
public interface AttributionApi extends AttributionRecords {

    /** Recent records, newest first, optionally only those of a model, a contributor or a Datanet (null: any). */
    AttributionList attributions(String model, String contributor, String datanet, int limit);

    InfluenceIndexList influenceIndexes();

    /** Builds (or rebuilds) an adapter's influence index. */
    InfluenceIndexInfo buildInfluenceIndex(String adapter);
}
