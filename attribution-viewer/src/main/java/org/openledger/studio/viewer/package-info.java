/**
 * JavaFX components that show an answer's attribution from daemon-api records only: {@link
 * org.openledger.studio.viewer.AttributedText} (the answer with its verbatim spans highlighted), {@link
 * org.openledger.studio.viewer.InfluencePanel} (the most influential rows and the shares per Datanet and
 * contributor) and {@link org.openledger.studio.viewer.AttributionRecordView} (a record in any state). Earnings
 * (fees split by attribution) are not shown: the node does not split fees yet.
 */
package org.openledger.studio.viewer;
