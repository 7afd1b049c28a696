"""Language identification from function words.

Cheap and transparent: the share of a language's most frequent function words
among the tokens. Unsure stays unknown (None).
"""

from __future__ import annotations

import re

__all__ = ["detect_language"]

_STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset("the of and to in is that for on was with as by it he said at from his has have are be an not this which".split()),
    "de": frozenset("der die und das ist nicht den von zu mit sich des auf für im dem ein eine auch als sie wird bei".split()),
    "fr": frozenset("le la les de des et est un une du en que qui dans pour pas sur au par il elle ont avec".split()),
    "es": frozenset("el la los las de del y que en un una por con para es se no al lo como su más".split()),
    "it": frozenset("il lo la gli le di del della e che in un una per con non è si da al sono".split()),
    "pt": frozenset("o a os as de do da dos das e que em um uma para com não por se na no é".split()),
    "nl": frozenset("de het een en van in is dat op te voor met niet zijn die aan ook er".split()),
    "ru": frozenset("и в не на что с по как он это к из за от о для же но".split()),
    "uk": frozenset("і в не на що з по як він це до із за від про для та але".split()),
}
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# word -> languages it is a function word of, so each token is looked up once.
_LANGS_OF: dict[str, tuple[str, ...]] = {}
for _lang, _words in _STOPWORDS.items():
    for _w in _words:
        _LANGS_OF[_w] = _LANGS_OF.get(_w, ()) + (_lang,)


def detect_language(text: str, *, min_tokens: int = 20, min_share: float = 0.12) -> str | None:
    """Return an ISO 639-1 code for ``text``, or None when too short or unsure.

    Args:
        text: article text; the first 5,000 characters are used.
        min_tokens: fewer words than this and the answer is None.
        min_share: the winning language's function words must be at least this share of the words.
    """
    tokens = [t.lower() for t in _WORD.findall(text[:5000])]
    if len(tokens) < min_tokens:
        return None
    counts = dict.fromkeys(_STOPWORDS, 0)
    for token in tokens:
        for lang in _LANGS_OF.get(token, ()):
            counts[lang] += 1
    scores = sorted(((n / len(tokens), lang) for lang, n in counts.items()), reverse=True)
    (best, lang), (second, _) = scores[0], scores[1]
    return lang if best >= min_share and best >= 1.5 * second else None
