"""Hypothesis strategies shared by the test modules."""

from __future__ import annotations

from hypothesis import strategies as st

LATIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéèüößçñÉ"
CYRILLIC = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЭЮЯ"
GREEK_ARABIC_CJK = "αβγδεζηθΩΣ" "مرحبابالعالم" "新闻报道中国日本語"
PUNCT = " ,.;:!?'\"-()«»“”‘’—–…\u00a0\u2009\u200b\u00ad"

word = st.text(alphabet=LATIN + CYRILLIC + GREEK_ARABIC_CJK + "0123456789", min_size=1, max_size=12)
sentence = st.lists(word, min_size=1, max_size=14).map(" ".join)
paragraph = st.lists(sentence, min_size=1, max_size=4).map(lambda s: ". ".join(s) + ".")
article = st.lists(paragraph, min_size=1, max_size=6).map("\n\n".join)

# Text with typographic noise inserted between characters.
noisy_text = st.text(alphabet=LATIN + CYRILLIC + PUNCT + "\n\r\t", max_size=300)
