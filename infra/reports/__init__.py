"""Analytics reports: kept in the analytics store, downloaded as a PDF with charts or as CSV."""
