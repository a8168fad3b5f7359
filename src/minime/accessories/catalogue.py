"""The accessory catalogue: one explicit `register(...)` call per drawn piece, and the list of every piece
(the drawn pieces first, then the emoji pieces) for listing and searching."""

from __future__ import annotations

import math
from dataclasses import dataclass

from . import adventure, food, life, music, sport, tech, tools
from ._plastic import (
    BLACK,
    GOLD,
    LIME,
    ORANGE,
    RED,
    WHITE,
    YELLOW,
    Color,
    Plastic,
    lighter,
    poly,
    stroke,
    union,
)
from .aliases import SAME_AS
from .emoji import bare, emoji_pieces
from .matching import SAME_AS_KEY, _words
from .registry import ACCESSORIES, Accessory, register


def _star(cx: float, cy: float, r_out: float, r_in: float, n: int = 5, rot: float = -90):
    pts = []
    for i in range(2 * n):
        r = r_out if i % 2 == 0 else r_in
        a = math.radians(rot + i * 180 / n)
        pts.append((cx + r * math.cos(a), cy + r * math.sin(a)))
    return pts


def draw_prop(p: Plastic, accent: Color | None) -> None:
    """The neutral piece for things we have no mould for: a chunky star badge."""
    accent = accent or GOLD
    star = poly(_star(50, 53, 44, 20))
    star = union(star, stroke(star, 5))  # rounded, moulded tips
    p.part(star, accent)
    p.part(poly(_star(50, 53, 24, 11)), lighter(accent, 0.12), hl=None, depth=0.6)


register(Accessory("coffee-cup", "Coffee cup", ("coffee", "mug", "espresso", "latte", "cappuccino",
                                                 "cup", "americano", "flat white", "cuppa")),
         food.coffee_cup, (242, 238, 230))  # white china

register(Accessory("laptop", "Laptop", ("macbook", "notebook computer", "computer", "pc", "chromebook",
                                         "ultrabook", "coding", "programmer", "developer", "coder")),
         tech.laptop, (178, 186, 200))
register(Accessory("smartphone", "Smartphone", ("phone", "mobile", "mobile phone", "cellphone", "cell phone",
                                                 "iphone", "android", "selfie", "influencer")),
         tech.smartphone, (52, 56, 70))
register(Accessory("camera", "Camera", ("photo camera", "dslr", "film camera", "polaroid", "photography",
                                         "photographer", "mirrorless")),
         tech.camera, RED)
register(Accessory("headphones", "Headphones", ("headphone", "earphones", "cans", "dj",
                                                 "listening")),
         tech.headphones, (236, 70, 120))
register(Accessory("headset", "Gaming headset", ("gaming headset", "headset mic", "call center",
                                                  "support agent", "streamer", "esports")),
         tech.headset, LIME)
register(Accessory("game-controller", "Game controller", ("controller", "gamepad", "joypad",
                                                           "video game", "gaming", "gamer", "playstation",
                                                           "xbox", "console")),
         tech.game_controller, (84, 92, 116))
register(Accessory("drone", "Drone", ("quadcopter", "uav", "quadrocopter")), tech.drone, ORANGE)
register(Accessory("calculator", "Calculator", ("accountant", "accounting", "maths", "math", "bookkeeper",
                                                 "finance")),
         tech.calculator, (70, 76, 94))
register(Accessory("flashlight", "Flashlight", ("torch", "electric torch")), tech.flashlight, YELLOW)
register(Accessory("lightbulb", "Light bulb", ("bulb", "light", "idea", "light bulb", "electrician",
                                                "inventor")),
         tech.lightbulb, (255, 222, 90))
register(Accessory("watch", "Wristwatch", ("wristwatch", "wrist watch", "smartwatch", "timepiece")),
         tech.wristwatch, (60, 40, 30))
register(Accessory("clock", "Alarm clock", ("alarm clock", "alarm", "time")), tech.alarm_clock, RED)
register(Accessory("guitar", "Guitar", ("acoustic guitar", "electric guitar", "guitarist", "bass",
                                         "bass guitar", "ukulele", "rocker", "musician", "band")),
         music.guitar, (236, 128, 40))
register(Accessory("violin", "Violin", ("fiddle", "viola", "cello", "violinist", "orchestra", "classical")),
         music.violin, (178, 74, 26))
register(Accessory("drum", "Drum", ("drums", "snare", "snare drum", "drummer", "drum kit", "percussion",
                                     "tambour")),
         music.drum, (40, 110, 220))
register(Accessory("microphone", "Microphone", ("mic", "mike", "karaoke", "singer", "singing", "podcast",
                                                 "podcaster", "vocals", "rapper", "comedian", "host")),
         music.microphone, RED)
register(Accessory("keyboard", "Keyboard", ("piano", "synth", "synthesizer", "organ", "pianist",
                                             "electronic keyboard", "music keyboard")),
         music.keyboard, RED)
register(Accessory("trumpet", "Trumpet", ("brass", "cornet", "bugle", "jazz")),
         music.trumpet, GOLD)
register(Accessory("pizza", "Pizza", ("pizza slice", "pepperoni", "margherita", "pizzaiolo")),
         food.pizza, (214, 40, 36))
register(Accessory("cake", "Cake", ("birthday cake", "birthday", "party", "baker", "baking", "pastry chef",
                                     "gateau", "torte", "patissier")),
         food.cake, (246, 120, 170))
register(Accessory("popcorn", "Popcorn", ("pop corn", "movie night", "movies", "cinema", "film buff")),
         food.popcorn, RED)
register(Accessory("ice-cream", "Ice cream", ("ice cream cone", "gelato", "sorbet", "soft serve",
                                               "icecream")),
         food.ice_cream, (246, 120, 170))
register(Accessory("burger", "Burger", ("hamburger", "cheeseburger", "fast food")),
         food.burger, (232, 150, 60))
register(Accessory("donut", "Donut", ("doughnut",)), food.donut, (246, 110, 170))
register(Accessory("apple", "Apple", ("fruit", "teacher", "healthy", "nutritionist")), food.apple, RED)
register(Accessory("dumbbell", "Dumbbell", ("dumbbells", "weights", "weight", "gym", "fitness", "workout",
                                             "barbell", "lifting", "weightlifting", "personal trainer",
                                             "bodybuilder", "kettlebell")),
         sport.dumbbell, RED)
register(Accessory("soccer-ball", "Soccer ball", ("football", "soccer", "footy", "ball", "footballer",
                                                   "soccer player", "futbol")),
         sport.soccer_ball, BLACK)
register(Accessory("basketball", "Basketball", ("hoops", "nba", "basketball player", "b ball")),
         sport.basketball, (240, 120, 30))
register(Accessory("tennis-racket", "Tennis racket", ("tennis", "racket", "racquet",
                                                       "squash", "padel", "tennis player")),
         sport.tennis_racket, (220, 40, 60))
register(Accessory("tennis-ball", "Tennis ball", ()), sport.tennis_ball, (206, 230, 40))
register(Accessory("golf-ball", "Golf ball", ("golfball", "golfer", "golfing")), sport.golf_ball, WHITE)
register(Accessory("cricket-ball", "Cricket ball", ("cricketer",)), sport.cricket_ball, (176, 28, 36))
register(Accessory("surfboard", "Surfboard", ("surf board", "surfer", "surfing", "surf")), sport.surfboard, (24, 170, 200))
register(Accessory("skateboard", "Skateboard", ("skate", "skater", "skateboarding", "skate board", "longboard")),
         sport.skateboard, (34, 150, 210))
register(Accessory("bicycle", "Bicycle", ("bike", "cycling", "cyclist", "push bike", "mountain bike",
                                           "road bike", "biking")),
         sport.bicycle, (40, 176, 90))
register(Accessory("trophy", "Trophy", ("winner", "champion", "award", "prize", "trophy cup")),
         sport.trophy, GOLD)
register(Accessory("medal", "Medal", ("gold medal", "olympics", "olympian", "athlete", "medallion")),
         sport.medal, (34, 104, 222))
register(Accessory("sneaker", "Sneaker", ("sneakers", "trainer", "trainers", "running shoe", "shoe", "shoes",
                                           "running", "runner", "jogging", "marathon")),
         sport.sneaker, (34, 104, 222))
register(Accessory("wrench", "Wrench", ("spanner", "mechanic", "plumber", "repair", "fix", "handyman",
                                         "engineer", "technician", "garage")),
         tools.wrench, RED)
register(Accessory("hammer", "Hammer", ("carpenter", "builder", "construction", "diy", "mallet",
                                         "woodwork", "joiner", "craftsman")),
         tools.hammer, RED)
register(Accessory("screwdriver", "Screwdriver", ("screw driver", "tools", "tool", "fixer")),
         tools.screwdriver, (250, 190, 20))
register(Accessory("stethoscope", "Stethoscope", ("doctor", "nurse", "medic", "physician", "medical",
                                                   "vet", "veterinarian", "paramedic", "gp", "surgeon",
                                                   "healthcare")),
         tools.stethoscope, (34, 104, 222))
register(Accessory("spatula", "Spatula", ("chef", "cook", "kitchen", "turner", "culinary", "bbq", "barbecue", "flipper")),
         tools.spatula, (40, 44, 54))
register(Accessory("frying-pan", "Frying pan", ("pan", "skillet", "breakfast", "wok",
                                                 "frypan", "saucepan")),
         tools.frying_pan, (40, 44, 54))
register(Accessory("paintbrush", "Paintbrush", ("paint brush", "brush", "painter", "painting", "decorator",
                                                 "artist brush")),
         tools.paintbrush, RED)
register(Accessory("palette", "Palette", ("paint palette", "artist", "art", "paints", "colours", "colors",
                                           "illustrator")),
         tools.palette, (34, 104, 222))
register(Accessory("pen", "Pen", ("fountain pen", "ballpoint", "biro", "writer", "author", "writing",
                                   "journalist", "poet", "signature", "quill")),
         tools.pen, (34, 52, 120))
register(Accessory("pencil", "Pencil", ("sketch", "drawing", "student", "school", "pencil case",
                                         "designer", "architect")),
         tools.pencil, (255, 200, 30))
register(Accessory("scissors", "Scissors", ("scissor", "shears", "hairdresser", "barber", "hair stylist",
                                             "stylist", "tailor", "crafts", "crafting")),
         tools.scissors, RED)
register(Accessory("hard-hat", "Hard hat", ("helmet", "safety helmet", "hardhat", "construction worker",
                                             "site manager", "builder hat")),
         tools.hard_hat, (255, 196, 20))
register(Accessory("magnifying-glass", "Magnifying glass", ("magnifier", "magnifying", "loupe", "detective",
                                                             "investigator", "search", "sherlock",
                                                             "researcher", "inspector")),
         tools.magnifying_glass, (120, 60, 30))
register(Accessory("flask", "Lab flask", ("beaker", "chemistry", "chemist", "scientist",
                                           "science", "lab", "laboratory", "potion", "erlenmeyer", "biologist")),
         tools.flask, (60, 210, 100))
register(Accessory("clipboard", "Clipboard", ("checklist", "manager", "project manager",
                                               "coach", "to do", "todo", "planner", "survey")),
         tools.clipboard, (170, 110, 60))
register(Accessory("briefcase", "Briefcase", ("business", "office", "lawyer", "attorney",
                                               "businessman", "businesswoman", "ceo", "consultant",
                                               "banker", "executive", "work", "attache case")),
         tools.briefcase, (120, 66, 34))
register(Accessory("watering-can", "Watering can", ("gardener", "gardening", "garden", "watering",
                                                     "horticulture")),
         tools.watering_can, (40, 170, 90))
register(Accessory("map", "Map", ("treasure map", "road map", "atlas", "traveler", "traveller", "travel",
                                   "explorer", "navigator", "tour guide", "hiking", "hiker", "adventure")),
         adventure.treasure_map, RED)
register(Accessory("compass", "Compass", ("navigation", "orienteering", "direction", "scout", "wayfinder")),
         adventure.compass, (200, 150, 40))
register(Accessory("telescope", "Telescope", ("astronomy", "astronomer", "stargazing", "spyglass",
                                               "stargazer", "observatory")),
         adventure.telescope, (34, 52, 120))
register(Accessory("rocket", "Rocket", ("spaceship", "space", "astronaut", "spacecraft", "nasa",
                                         "space shuttle", "launch", "startup", "founder", "rocket scientist")),
         adventure.rocket, RED)
register(Accessory("sword", "Sword", ("blade", "knight", "sabre", "saber", "katana", "fencing", "warrior",
                                       "samurai", "pirate", "cutlass")),
         adventure.sword, (120, 40, 40))
register(Accessory("shield", "Shield", ("buckler", "defender", "guardian", "security", "protection",
                                         "crusader", "paladin")),
         adventure.shield, (200, 30, 46))
register(Accessory("magic-wand", "Magic wand", ("wand", "magic", "magician", "wizard", "witch", "fairy",
                                                 "sorcerer", "spell", "illusionist", "magic trick")),
         adventure.magic_wand, (255, 196, 30))
register(Accessory("crown", "Crown", ("king", "queen", "prince", "princess", "royal", "royalty", "tiara",
                                       "monarch", "boss")),
         adventure.crown, GOLD)
register(Accessory("fishing-rod", "Fishing rod", ("fishing", "fisherman", "angler", "angling", "fishing pole",
                                                   "rod", "bobber")),
         adventure.fishing_rod, (34, 104, 222))
register(Accessory("globe", "Globe", ("world", "earth", "geography", "planet", "world traveller",
                                       "globetrotter", "diplomat")),
         adventure.globe, (200, 150, 40))
register(Accessory("anchor", "Anchor", ("sailor", "sailing", "navy", "captain", "nautical",
                                         "marine")),
         adventure.anchor, (34, 52, 120))
register(Accessory("cowboy-hat", "Cowboy hat", ("stetson", "cowboy", "cowgirl", "ten gallon hat", "rodeo")),
         adventure.cowboy_hat, (150, 96, 52))
register(Accessory("passport", "Passport", ("travel document", "jet setter", "visa")),
         adventure.passport, (120, 20, 40))
register(Accessory("cape", "Cape", ("cloak", "superhero cape", "superhero", "hero cape", "mantle")),
         adventure.cape, (200, 30, 46))
register(Accessory("dog", "Dog", ("puppy", "pup", "doggy", "doggo", "hound", "pooch", "dog lover", "canine",
                                   "labrador", "retriever", "beagle", "corgi", "dog walker")),
         life.dog, RED)
register(Accessory("cat", "Cat", ("kitten", "kitty", "cat lover", "feline", "moggy", "tabby", "kitteh")),
         life.cat, (34, 104, 222))
register(Accessory("paw", "Paw print", ("paw print", "pawprint", "pet", "pets", "animal lover", "pet lover",
                                         "animals", "pet sitter")),
         life.paw, (150, 90, 50))
register(Accessory("plant", "Potted plant", ("house plant", "houseplant", "potted plant", "flower pot",
                                              "succulent", "plants", "botanist", "plant parent", "nature",
                                              "florist")),
         life.plant, (214, 110, 62))
register(Accessory("book", "Book", ("novel", "reading", "reader", "bookworm", "librarian",
                                     "literature", "story", "study", "scholar", "teacher book")),
         life.book, (34, 104, 222))
register(Accessory("umbrella", "Umbrella", ("brolly", "parasol", "rain", "rainy", "weather",
                                             "meteorologist")),
         life.umbrella, RED)
register(Accessory("backpack", "Backpack", ("rucksack", "knapsack", "school bag", "schoolbag", "bag",
                                             "daypack", "backpacker")),
         life.backpack, (34, 150, 210))
register(Accessory("eye-mask", "Eye mask", ("mask", "superhero mask", "hero mask", "domino mask", "masquerade mask",
                                             "eyemask")),
         life.eye_mask, BLACK)
register(Accessory("face-mask", "Face mask", ("surgical mask", "medical mask", "mouth mask", "facemask",
                                               "surgical face mask", "medical face mask")),
         life.face_mask, (168, 210, 238))
register(Accessory("sunglasses", "Sunglasses", ("shades", "sunnies", "aviators", "cool",
                                                 "eyewear", "summer", "beach")),
         life.sunglasses, (30, 30, 36))
register(Accessory("chess-knight", "Chess knight", ("chess", "chess piece", "knight piece", "chess player",
                                                     "strategy", "strategist", "grandmaster")),
         life.chess_knight, (44, 46, 56))
register(Accessory("dice", "Dice", ("die", "board game", "board games", "tabletop", "d and d", "dnd",
                                     "gambling", "casino", "games night", "rpg")),
         life.dice, (220, 36, 48))
register(Accessory("clapperboard", "Clapperboard", ("clapper", "film", "movie", "director", "filmmaker",
                                                     "film director", "actor", "actress", "cinematographer",
                                                     "film maker", "hollywood", "slate")),
         life.clapperboard, WHITE)
register(Accessory("graduation-cap", "Graduation cap", ("mortarboard", "graduate", "graduation", "grad",
                                                         "university", "college", "degree", "diploma",
                                                         "academic", "professor", "phd")),
         life.graduation_cap, GOLD)


# --------------------------------------------------------------------------- the list of every piece


@dataclass(frozen=True)
class Piece:
    """One piece in the catalogue: its key, label, the emoji it shows or stands for, and how it is made."""

    key: str
    label: str
    emoji: str
    kind: str  # "drawn" or "emoji"
    group: str


def catalogue() -> list[Piece]:
    """Every piece a well can show; an emoji a drawn piece stands for is listed once, as the drawn piece."""
    pieces = [Piece(a.key, a.label, SAME_AS.get(a.key, ""), "drawn", "drawn") for a in ACCESSORIES.values()]
    shadowed = SAME_AS_KEY()
    pieces += [Piece(p.key, p.label, p.emoji, "emoji", p.group) for p in emoji_pieces().values()
               if bare(p.emoji) not in shadowed]
    return pieces


def search(query: str, limit: int = 20) -> list[Piece]:
    """Pieces whose English label has every word of `query` in it (as a word or the start of one)."""
    words = _words(query)
    found = []
    for piece in catalogue():
        label = _words(piece.label)
        if words and all(any(w.startswith(q) for w in label) for q in words):
            found.append(piece)
            if len(found) >= limit:
                break
    return found
