"""A grounded fact-checking RAG library over a news corpus.

Start with :class:`rag.pipeline.Pipeline` and :class:`rag.settings.Settings`::

    from rag.pipeline import Pipeline
    from rag.settings import Settings

    pipe = Pipeline(Settings.from_env())
    pipe.build_index()
    print(pipe.ask("Which outlet reported the Foreign Affairs Ministry statement?").answer)

Nothing heavy is imported or loaded here.
"""

__version__ = "0.1.0"
