"""Inter-annotator agreement, computed from spans alone (no database, no Qt).

Units and measures (docs/ARCHITECTURE.md, "Agreement"):

- ``counts``: percentage agreement and Cohen's kappa over code points as units: each code
  point of a document, for each code, is marked by an annotator or not (as QualCoder and
  most QDA tools count).
- ``unitized``: Krippendorff's unitized alpha (αu; Krippendorff 1995, 2004), which compares
  the annotators' spans themselves on the continuum of the text, for any number of them.
- ``report``: both, per code and over all codes, per document and for the corpus.
"""
