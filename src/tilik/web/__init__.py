"""The Django web app: evaluators, respondents and leadership use Tilik through it."""
