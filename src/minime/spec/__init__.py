"""FigureSpec: what the user asks for (name, tagline, outfit, accessories, box colour), with its rules.

Every rule breaks with a one-line SpecError that names the field and the rule, so the CLI, the web
form and the batch runner can show it as is.
"""

from .brand import BrandKit, load_brand
from .figure import FIELDS, FigureSpec, PersonSpec, check_people, people_given
from .load import build_spec, load_spec, read_mapping, spec_error
from .rules import BODIES, CSS_COLORS, STAT_TOP, colours_named, parse_color, type_name

__all__ = ["BODIES", "CSS_COLORS", "FIELDS", "STAT_TOP", "BrandKit", "FigureSpec", "PersonSpec", "build_spec", "check_people",
           "colours_named", "load_brand", "load_spec", "parse_color", "people_given", "read_mapping", "spec_error",
           "type_name"]
