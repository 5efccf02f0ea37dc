"""Reading and writing: model files, torch import, graph exports, plots."""
