"""Parameter space: bias-slice cells, initializations, constructions, sampling, training."""
