"""Everyday words for pieces that their CLDR names miss, the words matching may pass over, and the emoji
each drawn piece stands for.

An alias points at a drawn piece's key or at an emoji; keep each one a plain, unambiguous naming of
that thing ("car" is a car), never a guess at what someone might mean.
"""

from __future__ import annotations

ALIASES: dict[str, str] = {
    # drinks and food
    "coffee": "coffee-cup", "cafe": "☕", "tea": "🍵", "green tea": "🍵", "matcha": "🍵", "cup of tea": "🍵", "wine": "🍷", "red wine": "🍷",
    "white wine": "🍷", "rose wine": "🍷", "beer": "🍺", "lager": "🍺", "ale": "🍺", "pint": "🍺",
    "champagne": "🍾", "prosecco": "🍾", "cocktail": "🍸", "martini": "🍸", "margarita": "🍸",
    "fries": "🍟", "ramen": "🍜", "noodles": "🍜", "pho": "🍜", "soup": "🍲",
    "chocolate": "🍫", "milk": "🥛", "juice": "🧃", "juice box": "🧃", "soda": "🥤", "soft drink": "🥤",
    "smoothie": "🥤", "milkshake": "🥤", "boba": "🧋", "water": "💧", "cheese": "🧀", "baguette": "🥖",
    "flatbread": "🫓", "sweets": "🍬", "candies": "🍬", "pancakes": "🥞", "pancake": "🥞",
    "waffle": "🧇", "steak": "🥩", "chicken leg": "🍗", "drumstick": "🍗", "bacon": "🥓",
    "sandwich": "🥪", "salad": "🥗", "dumpling": "🥟", "rice": "🍚", "curry": "🍛", "spaghetti": "🍝",
    "pasta": "🍝", "pie": "🥧", "honey": "🍯", "egg": "🥚", "fried egg": "🍳", "onigiri": "🍙",
    "birthday cake": "🎂", "slice of cake": "🍰", "piece of cake": "🍰", "cheesecake": "🍰",
    "shortcake": "🍰", "ice lolly": "🍡", "bubble tea": "🧋", "coconut": "🥥", "peach": "🍑",
    "orange": "🍊", "tangerine": "🍊", "pear": "🍐", "pineapple": "🍍", "cherry": "🍒",
    # clothes and style
    "hat": "🎩", "top hat": "🎩", "sun hat": "👒", "straw hat": "👒", "cap": "🧢", "baseball cap": "🧢",
    "tie": "👔", "necktie": "👔", "t shirt": "👕", "tshirt": "👕", "tee": "👕", "shirt": "👕",
    "jeans": "👖", "trousers": "👖", "pants": "👖", "heels": "👠", "high heels": "👠", "stilettos": "👠",
    "boots": "👢", "boot": "👢", "hiking boots": "🥾", "flip flops": "🩴", "sandals": "👡",
    "wallet": "👛", "clutch": "👛", "handbag": "👜", "tote": "👜", "bag": "🎒", "diamond": "💎",
    "gem": "💎", "jewel": "💎", "engagement ring": "💍", "wedding ring": "💍", "makeup": "💄",
    "kimono": "👘", "bikini": "👙", "swimsuit": "🩱", "gloves": "🧤", "mittens": "🧤",
    # masks: plain "mask" (in the catalogue) is a superhero's eye mask, worn on the figure; so is the same
    # word in other languages. A theatre or carnival mask is the performing arts piece, held in the hand.
    "maske": "eye-mask", "masque": "eye-mask", "maschera": "eye-mask", "masker": "eye-mask",
    "maska": "eye-mask", "маска": "eye-mask", "面具": "eye-mask", "仮面": "eye-mask", "antifaz": "eye-mask",
    "マスク": "face-mask",  # in Japanese the everyday word for a face mask
    "mundschutz": "face-mask", "mascarilla": "face-mask", "mascherina": "face-mask", "mondkapje": "face-mask",
    "masque chirurgical": "face-mask", "口罩": "face-mask",
    # animals
    "bunny": "🐇", "kitty": "cat", "horse": "🐎", "pony": "🐎", "goldfish": "🐠", "bee": "🐝",
    "bumblebee": "🐝", "ladybug": "🐞", "ladybird": "🐞", "dinosaur": "🦖", "dino": "🦖", "trex": "🦖",
    "chick": "🐤", "chicken": "🐔", "hen": "🐔", "cow": "🐄", "pig": "🐖", "sheep": "🐑", "lamb": "🐑",
    "parakeet": "🦜", "budgie": "🦜", "guinea pig": "🐹", "tortoise": "🐢", "lizard": "🦎",
    "gecko": "🦎", "puppy dog": "dog", "kitty cat": "cat",
    # toys, games, sport
    "plushie": "🧸", "plush": "🧸", "plush toy": "🧸", "soft toy": "🧸", "stuffed animal": "🧸",
    "stuffed toy": "🧸", "teddy": "🧸", "cuddly toy": "🧸", "frisbee": "🥏", "yoyo": "🪀",
    "golf": "⛳", "reading glasses": "👓", "eyeglasses": "👓", "hockey stick": "🏒", "hockey": "🏒", "ping pong": "🏓",
    "table tennis": "🏓", "rugby": "🏉", "rugby ball": "🏉", "american football": "🏈",
    "ski": "🎿", "skiing": "🎿", "ice skates": "⛸️", "skates": "⛸️", "boxing": "🥊",
    "jigsaw": "🧩", "puzzle": "🧩", "puzzle piece": "🧩", "marbles": "🔮", "cards": "🃏",
    "playing cards": "🃏", "deck of cards": "🃏", "darts": "🎯", "dartboard": "🎯", "bowling ball": "🎳",
    "baseball bat": "🏏", "cricket bat": "🏏",
    # vehicles
    "car": "🚗", "auto": "🚗", "race car": "🏎️", "racecar": "🏎️", "sports car": "🏎️",
    "motorbike": "🏍️", "plane": "✈️", "aeroplane": "✈️", "jet": "✈️", "boat": "⛵", "yacht": "⛵",
    "scooter": "🛴", "moped": "🛵", "truck": "🚚", "lorry": "🚚", "van": "🚐", "taxi": "🚕",
    "train": "🚆", "submarine": "🚢", "canoe": "🛶", "kayak": "🛶",
    # home, office, things
    "tv": "📺", "telly": "📺", "lock": "🔒", "padlock": "🔒", "flag": "🚩", "money": "💵", "cash": "💵",
    "dollar": "💵", "dollars": "💵", "euro": "💶", "euros": "💶", "coins": "🪙", "present": "🎁",
    "gift": "🎁", "gift box": "🎁", "folder": "📁", "letter": "✉️", "mail": "✉️", "post": "✉️",
    "campfire": "🔥", "bonfire": "🔥", "moon": "🌙", "the moon": "🌙", "crescent moon": "🌙",
    "heart": "❤️", "love heart": "❤️", "tree": "🌳", "flower": "🌼", "flowers": "🌼", "daisy": "🌼",
    "lily": "🌷", "pumpkin": "🎃", "jack o lantern": "🎃", "xmas tree": "🎄", "lantern": "🏮",
    "hourglass": "⌛", "sand timer": "⌛", "lotion": "🧴",
    "sunscreen": "🧴", "tissues": "🧻", "toilet paper": "🧻", "toilet roll": "🧻", "sponge": "🧽",
    "safety pin": "🧷", "thread": "🧵", "yarn": "🧶", "wool": "🧶", "knitting": "🧶",
    "sewing": "🪡", "needle": "🪡", "ruler": "📏", "paperclip": "📎", "paper clip": "📎",
    "pushpin": "📌", "pin": "📌", "notepad": "🗒️", "notebook": "📓", "diary": "📔", "journal": "📔",
    "books": "📚", "stack of books": "📚", "bookshelf": "📚", "newspaper": "📰", "magazine": "📰",
    "bowl": "🥣", "cereal": "🥣", "pot": "🍲", "chopstick": "🥢", "fork": "🍴", "cutlery": "🍴",
    "knife": "🔪", "kitchen knife": "🔪", "chef knife": "🔪", "teapot": "🫖", "kettle": "🫖",
    "plate": "🍽️", "thermometer": "🌡️", "bandage": "🩹", "plaster": "🩹",
    "band aid": "🩹", "pills": "💊", "medicine": "💊", "vitamin": "💊", "vitamins": "💊",
    "vaccine": "💉", "jab": "💉", "toothbrush": "🪥", "razor": "🪒", "shaver": "🪒", "soap": "🧼",
    "shower": "🚿", "bath": "🛁", "bathtub": "🛁", "toilet": "🚽", "sofa": "🛋️", "couch": "🛋️",
    "lamp": "🪔", "candles": "🕯️", "mirror": "🪞", "window": "🪟", "door": "🚪", "bed": "🛏️",
    "basket": "🧺", "laundry basket": "🧺", "bucket": "🪣", "mop": "🧹", "broom": "🧹",
    "axe": "🪓", "hatchet": "🪓", "saw": "🪚", "handsaw": "🪚", "toolbox": "🧰", "tool box": "🧰",
    "ladder": "🪜", "magnet": "🧲", "chain": "⛓️", "gear": "⚙️", "cog": "⚙️", "nut and bolt": "🔩",
    "bolt": "🔩", "screw": "🔩", "pickaxe": "⛏️", "pick": "⛏️",
    "bow": "🏹", "arrow": "🏹", "bow and arrow": "🏹", "crossed swords": "⚔️", "dagger": "🗡️",
    "gun": "🔫", "water gun": "🔫", "water pistol": "🔫", "bomb": "💣",
    "phone": "smartphone", "mobile": "smartphone", "telephone": "☎️", "landline": "☎️",
    "keys": "🔑", "key": "🔑", "car keys": "🔑", "house key": "🔑", "old key": "🗝️",
    "mouse": "🐁", "computer mouse": "🖱️", "computer keyboard": "⌨️", "pc keyboard": "⌨️", "desktop": "🖥️", "monitor": "🖥️",
    "printer": "🖨️", "cd": "💿", "dvd": "📀", "floppy disk": "💾", "floppy": "💾", "vinyl": "💿",
    "record": "💿", "cassette": "📼", "video tape": "📼", "radio": "📻", "speaker": "🔈",
    "loudspeaker": "📢", "megaphone": "📣", "bell": "🔔", "money bag": "💰", "sack of money": "💰",
    "credit card": "💳", "bank card": "💳", "debit card": "💳", "ticket": "🎟️", "tickets": "🎟️",
    "film camera": "camera", "video camera": "📹", "camcorder": "📹", "movie camera": "🎥",
    "clapper": "clapperboard", "projector": "📽️", "battery": "🔋", "plug": "🔌", "candle": "🕯️",
    "balloons": "🎈", "party popper": "🎉", "confetti": "🎊", "firework": "🎆", "fireworks": "🎆",
    "sparkler": "🎇", "kite": "🪁", "piñata": "🪅", "pinata": "🪅", "nesting dolls": "🪆",
    "matryoshka": "🪆", "theatre mask": "🎭", "theater mask": "🎭", "drama mask": "🎭", "carnival mask": "🎭",
    "venetian mask": "🎭", "comedy and tragedy masks": "🎭", "sewing machine": "🪡",
    "envelope": "✉️", "parcel": "📦", "package": "📦", "box": "📦", "cardboard box": "📦",
    "mailbox": "📫", "postbox": "📮", "calendar": "📅", "diary planner": "📅", "chart": "📈",
    "graph": "📈", "pushpin map": "📍", "label": "🏷️", "tag": "🏷️", "bookmark": "🔖",
    "scroll": "📜", "certificate": "📜", "receipt": "🧾", "abacus": "🧮", "crayon": "🖍️",
    "crayons": "🖍️", "marker": "🖍️", "feather": "🪶",
    "test tube": "🧪", "petri dish": "🧫", "dna": "🧬", "microscope": "🔬", "alembic": "⚗️",
    "satellite": "🛰️", "ufo": "🛸", "flying saucer": "🛸", "parachute": "🪂", "helicopter": "🚁",
    "luggage": "🧳", "suitcase": "🧳", "trolley": "🛒", "shopping trolley": "🛒", "shopping bag": "🛍️",
    "shopping bags": "🛍️", "carrier bag": "🛍️", "prayer beads": "📿", "rosary": "📿",
    "amulet": "🧿", "nazar": "🧿", "teddy bear": "🧸", "rubber duck": "🦆",
    "duck": "🦆", "mushroom": "🍄", "cactus": "🌵", "sunflower": "🌻", "rose": "🌹", "tulip": "🌷",
    "bouquet": "💐", "bunch of flowers": "💐", "four leaf clover": "🍀", "clover": "☘️",
    "shamrock": "☘️", "leaf": "🍃", "leaves": "🍂", "maple leaf": "🍁", "palm tree": "🌴",
    "christmas tree": "🎄", "snowman": "⛄", "umbrella": "umbrella", "sun": "☀️", "sunshine": "☀️",
    "cloud": "☁️", "rainbow": "🌈", "lightning": "⚡", "lightning bolt": "⚡", "snowflake": "❄️",
    "star": "⭐", "shooting star": "🌠", "saturn": "🪐", "comet": "☄️",
}

# Words that say nothing about which piece: articles, owners, counts, quantities.
FILLERS = frozenset("""
a an the my your his her its our their this that these those some any of for to and or with my own
favourite favorite fav best lucky little trusty beloved new old one two three four five six seven eight
nine ten dozen pair couple few many lot lots bunch piece set pack
""".split()) - {"of", "with", "and"}

# Words that describe a thing without changing what it is.
ADJECTIVES = frozenset("""
red orange yellow green blue purple violet pink black white grey gray brown gold golden silver bronze
beige cream navy teal turquoise cyan magenta maroon crimson rainbow colorful colourful neon pastel
dark light bright shiny glossy matte sparkly glittery striped spotted dotty checked plaid
big small tiny huge giant large little mini miniature jumbo tall short long round square
wooden wood plastic metal metallic steel leather rubber fluffy fuzzy furry soft hard
cute cool fancy funny happy angry sleepy vintage retro classic modern antique toy pet baby cuddly
iced warm fresh tasty yummy delicious sweet sour spicy homemade frozen steaming
electric acoustic digital wireless portable folding magic magical lucky broken
""".split())

# What holds a thing: "a cup of espresso" is the espresso.
CONTAINERS = frozenset("""
cup mug glass bottle can jar bowl plate slice piece bag box bunch bouquet pot loaf bar pack packet
carton basket bucket tin handful stack pile scoop tub
""".split())

# The emoji each drawn piece stands for: where both exist, the drawn piece is shown.
SAME_AS: dict[str, str] = {
    "coffee-cup": "☕", "laptop": "💻", "smartphone": "📱", "camera": "📷", "headphones": "🎧",
    "game-controller": "🎮", "flashlight": "🔦", "lightbulb": "💡", "watch": "⌚", "clock": "⏰",
    "guitar": "🎸", "violin": "🎻", "drum": "🥁", "microphone": "🎤", "keyboard": "🎹", "trumpet": "🎺",
    "pizza": "🍕", "cake": "🎂", "popcorn": "🍿", "ice-cream": "🍦", "burger": "🍔", "donut": "🍩",
    "apple": "🍎", "soccer-ball": "⚽", "basketball": "🏀", "skateboard": "🛹",
    "bicycle": "🚲", "trophy": "🏆", "medal": "🏅", "sneaker": "👟", "wrench": "🔧", "hammer": "🔨",
    "screwdriver": "🪛", "stethoscope": "🩺", "frying-pan": "🍳", "paintbrush": "🖌️", "palette": "🎨",
    "pen": "🖊️", "pencil": "✏️", "scissors": "✂️", "magnifying-glass": "🔍", "clipboard": "📋",
    "briefcase": "💼", "map": "🗺️", "compass": "🧭", "telescope": "🔭", "rocket": "🚀", "sword": "⚔️",
    "shield": "🛡️", "magic-wand": "🪄", "crown": "👑", "fishing-rod": "🎣", "globe": "🌍", "anchor": "⚓",
    "dog": "🐕", "cat": "🐈", "paw": "🐾", "plant": "🪴", "book": "📖", "umbrella": "☂️", "backpack": "🎒",
    "sunglasses": "🕶️", "dice": "🎲", "clapperboard": "🎬", "graduation-cap": "🎓",
}
