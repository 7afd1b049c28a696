"""The static story report: pages, charts and templates shared with the web app."""
