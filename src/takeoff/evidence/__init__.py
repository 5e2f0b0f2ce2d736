"""Evidence: start the model from an observed year, backtest it, and update worldviews on observations (issue 13)."""
