package org.openledger.studio.ui.finetune;

import javafx.beans.binding.Bindings;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Label;
import javafx.scene.layout.StackPane;

/** Training loss per step and validation loss per evaluation; says so when there is nothing to draw yet. */
final class LossChart extends StackPane {

    LossChart(JobMonitor monitor) {
        NumberAxis steps = new NumberAxis();
        steps.setLabel("Step");
        steps.setForceZeroInRange(false);
        NumberAxis loss = new NumberAxis();
        loss.setLabel("Loss");
        loss.setForceZeroInRange(false);
        LineChart<Number, Number> chart = new LineChart<>(steps, loss);
        chart.setId("finetune-chart");
        chart.setAnimated(false);
        chart.setCreateSymbols(false);
        chart.setMinHeight(200);
        XYChart.Series<Number, Number> train = new XYChart.Series<>("Training loss", monitor.trainLoss());
        XYChart.Series<Number, Number> valid = new XYChart.Series<>("Validation loss", monitor.validLoss());
        chart.getData().add(train);
        chart.getData().add(valid);
        Label empty = new Label();
        empty.setId("finetune-chart-empty");
        empty.getStyleClass().add("text-muted");
        empty.textProperty().bind(Bindings.createStringBinding(() -> monitor.jobProperty().get() == null
                ? "The loss curves of the selected job show here."
                : monitor.jobProperty().get().finished() ? "This job recorded no training step."
                : "Waiting for the first training step…", monitor.jobProperty()));
        empty.visibleProperty().bind(Bindings.isEmpty(monitor.trainLoss()));
        // an empty chart would show made-up axes: hide it until there is a point
        chart.visibleProperty().bind(empty.visibleProperty().not());
        getChildren().addAll(chart, empty);
    }
}
