"""A prompt layer that answers by question text, for tests of the guided flow."""

from typing import Any

from tjm import prompts


class FakeAsker:
    """Answers each question from a list kept per question; text answers go through validate."""

    def __init__(self, answers):
        self.answers = {q: list(a) for q, a in answers.items()}
        self.asked, self.rejected, self.defaults = [], [], {}

    def _next(self, question, default):
        self.asked.append(question)
        self.defaults[question] = default
        if question not in self.answers or not self.answers[question]:
            raise AssertionError(f"unexpected question {question!r}")
        answer = self.answers[question].pop(0)
        if answer is KeyboardInterrupt:
            raise KeyboardInterrupt
        return answer

    def select(self, question, choices, default):
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
            self.rejected.append((question, answer, verdict))

    def checkbox(self, question, choices, checked):
        return self._next(question, checked)

    def confirm(self, question, default):
        return self._next(question, default)


FULL: dict[str, list[Any]] = {
    prompts.ROLE_Q: ["ai-engineer"],
    prompts.YEARS_Q: ["6"],
    prompts.REGION_Q: ["idf"],
    prompts.SKILLS_Q: [["rag", "nlp"]],
    prompts.RATE_Q: ["600"],
    prompts.SELL_Q: [True],
}
