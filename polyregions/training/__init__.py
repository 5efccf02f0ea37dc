"""Training with PyTorch while counting regions exactly (the ``experiments`` or ``torch`` extra)."""
