"""Following a developing story (issue [11]): what is new since the last look, and what changed.

``digest.py`` reports what the store learned since a given time (new stories and articles, claims
seen for the first time or told again, changed figures and qualifiers, new independent origins, new
labels, new quotes by the main actors, edited articles) as Markdown, HTML and JSON.
"""
