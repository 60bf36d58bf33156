"""One module per file format eduread reads, plus the byte sniffer that picks among them."""
