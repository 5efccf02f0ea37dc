"""Every experiment draws its figure from the rows of its first work unit alone (a partial run)."""

import pytest

from polyregions.experiments.registry import EXPERIMENTS

pytest.importorskip("matplotlib")


@pytest.mark.parametrize("name", sorted(EXPERIMENTS))
def test_the_first_unit_alone_gives_a_summary_and_a_figure(name):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    experiment = EXPERIMENTS[name]
    for module in experiment.needs:
        pytest.importorskip(module)
    settings = experiment.settings(True)
    rows = experiment.run_unit(experiment.units(settings)[0])
    assert rows
    summary = experiment.summarize(rows, settings)
    figure = experiment.draw(rows, settings, summary)
    figure.canvas.draw()  # the layout and the scales are computed here, where empty axes fail
    panels = [ax for ax in figure.axes if ax.has_data() and ax.get_label() != "<colorbar>"]
    assert panels and all(ax.get_xlabel() and ax.get_ylabel() for ax in panels)
    plt.close(figure)
