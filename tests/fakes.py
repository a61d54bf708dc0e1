"""A prompt layer that answers by question key, for tests of the guided flow."""

from typing import Any

from tjm.cli import prompts


class FakeAsker:
    """Answers each question from a list kept per question key (the English message, the
    same in every language); text answers go through validate.

    It records the keys asked, the defaults offered and the refused answers by key, and
    the text each question showed (`shown`), in whatever language was active.
    """

    def __init__(self, answers):
        self.answers = {q: list(a) for q, a in answers.items()}
        self.asked, self.rejected, self.defaults, self.shown = [], [], {}, {}
        self.choices = {}

    def _next(self, question, default):
        key = question.key
        self.asked.append(key)
        self.defaults[key] = default
        self.shown[key] = question.text
        if key not in self.answers or not self.answers[key]:
            raise AssertionError(f"unexpected question {key!r} ({question.text!r})")
        answer = self.answers[key].pop(0)
        if answer is KeyboardInterrupt:
            raise KeyboardInterrupt
        return answer

    def select(self, question, choices, default):
        self.choices[question.key] = choices
        answer = self._next(question, default)
        assert answer in [value for _, value in choices]
        return answer

    def text(self, question, default, validate):
        while True:
            answer = self._next(question, default)
            answer = default if answer == "" and default else answer
            verdict = validate(answer)
            if verdict is True:
                return answer
            self.rejected.append((question.key, answer, verdict))

    def checkbox(self, question, choices, checked):
        self.choices[question.key] = choices
        return self._next(question, checked)

    def confirm(self, question, default):
        if question.key in EDGE_QUESTIONS and question.key not in self.answers:
            # The edge-rule questions (ACRE, the micro ceiling) keep their default unless a
            # test answers them; tests/test_prompts.py pins that they are asked.
            self.asked.append(question.key)
            return default
        return self._next(question, default)


EDGE_QUESTIONS = (prompts.ACRE_Q, prompts.OVER_CEILING_Q)


FULL: dict[str, list[Any]] = {
    prompts.ROLE_Q: ["ai-engineer"],
    prompts.YEARS_Q: ["6"],
    prompts.REGION_Q: ["idf"],
    prompts.SKILLS_Q: [["rag", "nlp"]],
    prompts.RATE_Q: ["600"],
    prompts.SELL_Q: [True],
    prompts.DETAILS_Q: [False],
}
