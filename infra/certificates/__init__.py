"""Certificate documents: the PDF a learner downloads, rendered with reportlab."""
