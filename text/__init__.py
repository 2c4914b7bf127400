"""The text layer: normalisation, tokens and search terms.

The lowest package of the project: `index` (documents, store, search) and `intents`
(understanding) both build on it, and it imports nothing of theirs. The pipeline, as in
whoosh's analysis: normalise (text.normalize) → tokens (text.tokens: jieba over a small
dictionary) → terms (text.terms: words, bigrams, pinyin, characters).
"""
