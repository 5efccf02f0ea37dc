"""The seed paper's experiments, one function (and one ``polyregions experiment NAME``) each."""
