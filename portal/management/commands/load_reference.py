from django.core.management.base import BaseCommand

from mentoring.models import MentoringForm
from mentoring.reference import load_forms
from monitoring.models import SurveyQuestion
from monitoring.reference import load_survey_questions
from orgs.models import Position
from orgs.reference import load_positions
from programs.models import DifficultyArea, DifficultyItem
from programs.reference import load_difficulty_areas


class Command(BaseCommand):
    help = (
        "Create or update the reference lists of data/*.csv: positions, forms and kinds of "
        "mentoring, areas of difficulties, survey questions (the migrations load them too)."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"positions: {load_positions(Position)}")
        self.stdout.write(f"forms and kinds of mentoring: {load_forms(MentoringForm)}")
        added = load_difficulty_areas(DifficultyArea, DifficultyItem)
        self.stdout.write(f"new items of difficulty areas: {added}")
        self.stdout.write(f"new survey questions: {load_survey_questions(SurveyQuestion)}")
