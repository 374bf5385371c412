"""HTML input: stage 1 for pages (parse, walk, segment into blocks with markup hints), then the
same core stages as text. `input.clean_html` is what `clean(html=...)` calls."""
