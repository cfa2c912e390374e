"""Sources: loading, decoding, fetching and WARC reading; every input becomes :class:`Document` objects."""
