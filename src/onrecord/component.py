"""The spaCy pipeline component: ``nlp.add_pipe("onrecord")`` sets ``doc._.quotes``.

Registered as ``onrecord_quotes`` (the factory name, also exposed through the
``spacy_factories`` entry point) and under the short alias ``onrecord``.
"""

from spacy.language import Language
from spacy.tokens import Doc

from onrecord.types import Article, Result


class QuoteComponent:
    """Sets ``doc._.<attr>`` to a tuple of :class:`~onrecord.types.Quote`."""

    def __init__(self, nlp: Language, name: str, *, attr: str, verify: bool) -> None:
        from onrecord._pipeline import Options, Pipeline

        self.name = name
        self.attr = attr
        self.pipeline = Pipeline(Options(verify=verify))
        if "lemmatizer" in nlp.component_names:
            from onrecord.extract._lemma import set_lemmatizer

            set_lemmatizer(nlp.get_pipe("lemmatizer"))
        if not Doc.has_extension(attr):
            Doc.set_extension(attr, default=())
        self.verify = verify

    def __call__(self, doc: Doc) -> Doc:
        published = doc.user_data.get("published") if doc.user_data else None
        quotes = self.pipeline.quotes_from_doc(doc, published=published)
        if self.verify:
            from onrecord._pipeline import _verify_article

            quotes = list(
                _verify_article(
                    Result(Article("-", doc.text, published), tuple(quotes))
                ).quotes
            )
        doc._.set(self.attr, tuple(quotes))
        return doc


def make_onrecord_component(
    nlp: Language, name: str, attr: str, verify: bool
) -> QuoteComponent:
    """Factory for the onrecord quote component."""
    return QuoteComponent(nlp, name, attr=attr, verify=verify)


_CONFIG = {"attr": "quotes", "verify": True}
for _factory_name in ("onrecord_quotes", "onrecord"):
    if not Language.has_factory(_factory_name):
        Language.factory(
            _factory_name,
            default_config=_CONFIG,
            assigns=["doc._.quotes"],
            requires=["token.dep", "token.head", "doc.ents"],
        )(make_onrecord_component)
