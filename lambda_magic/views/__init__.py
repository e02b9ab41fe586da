"""Pure views: HTML, SVG and text of lambda_magic's values (no IPython, no ipywidgets)."""
