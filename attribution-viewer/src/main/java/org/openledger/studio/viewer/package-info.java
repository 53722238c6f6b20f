/**
 * JavaFX components that show attribution (token heatmaps, influence charts, earnings). Empty until the
 * attribution issue lands: nothing here pretends to show attribution before the node can compute it.
 */
package org.openledger.studio.viewer;
