"""Plausible, invented UK people for the benchmarks: households, relatives, duplicates.

Names are common UK forenames and surnames drawn with a long-tailed (Zipf-like) frequency, so
some are very common (as Smith and Jones are) and most are rare; one person in four has a name
of South Asian or Arabic, Polish, Russian or Ukrainian, or Vietnamese origin, written as an
English-speaking clerk might (with or without its accents, Mohammed before the name a man goes
by, Thị or Văn before a Vietnamese given name). Postcodes use the made-up areas ZA, ZB, ZC,
ZD, ZF and ZG, which no real postcode uses.

Households are one to five people at one address: adults, and children born 18 to 42 years
after a parent, brothers and sisters 1 to 6 years apart; now and then a son named after his
father (sometimes written Jr) or a daughter after her mother. Second records of a person are
written differently, one or two ways at once (``VARIANT_KINDS``), as repeat referrals are; the
transliterations are made by spelling rules of this file, not taken from the matcher's tables.
"""

from __future__ import annotations

import datetime
import random
import string
import unicodedata
from collections import Counter
from dataclasses import dataclass, field, replace

FEMALE = [
    "olivia",
    "amelia",
    "isla",
    "ava",
    "emily",
    "sophia",
    "grace",
    "lily",
    "freya",
    "mia",
    "ella",
    "charlotte",
    "evie",
    "poppy",
    "isabella",
    "jessica",
    "sophie",
    "ruby",
    "daisy",
    "chloe",
    "millie",
    "lucy",
    "holly",
    "ellie",
    "phoebe",
    "scarlett",
    "katie",
    "erin",
    "megan",
    "hannah",
    "lauren",
    "amy",
    "rebecca",
    "emma",
    "sarah",
    "laura",
    "gemma",
    "rachel",
    "nicola",
    "jennifer",
    "claire",
    "kelly",
    "samantha",
    "stacey",
    "natalie",
    "danielle",
    "zoe",
    "victoria",
    "kirsty",
    "leanne",
    "hayley",
    "jade",
    "charlene",
    "tracey",
    "michelle",
    "lisa",
    "joanne",
    "donna",
    "julie",
    "karen",
    "louise",
    "helen",
    "amanda",
    "alison",
    "angela",
    "susan",
    "deborah",
    "elizabeth",
    "margaret",
    "catherine",
    "katherine",
    "kathleen",
    "patricia",
    "jacqueline",
    "janet",
    "christine",
    "linda",
    "carol",
    "sandra",
    "barbara",
    "pauline",
    "jean",
    "maureen",
    "shirley",
    "valerie",
    "brenda",
    "sharon",
    "beverley",
    "wendy",
    "dawn",
    "joanna",
    "stephanie",
    "melissa",
    "alexandra",
    "georgina",
    "harriet",
    "annabel",
    "eleanor",
    "abigail",
    "bethany",
    "jasmine",
    "aisha",
    "fatima",
    "ayesha",
    "zara",
    "amina",
    "mariam",
    "sana",
    "nadia",
    "priya",
    "anjali",
    "simran",
    "harpreet",
    "agnieszka",
    "katarzyna",
    "joanna",
    "aleksandra",
    "monika",
    "siobhan",
    "niamh",
    "roisin",
    "ciara",
    "aoife",
    "caitlin",
    "bronwen",
    "rhiannon",
    "ffion",
    "seren",
    "kayleigh",
    "chelsea",
    "courtney",
    "shannon",
    "paige",
    "jodie",
    "tia",
    "leah",
    "keira",
    "maisie",
]
MALE = [
    "oliver",
    "george",
    "noah",
    "arthur",
    "harry",
    "leo",
    "muhammad",
    "jack",
    "charlie",
    "oscar",
    "jacob",
    "henry",
    "thomas",
    "freddie",
    "alfie",
    "theo",
    "william",
    "theodore",
    "archie",
    "joshua",
    "alexander",
    "james",
    "isaac",
    "edward",
    "lucas",
    "tommy",
    "finley",
    "max",
    "logan",
    "ethan",
    "daniel",
    "samuel",
    "joseph",
    "benjamin",
    "adam",
    "liam",
    "ryan",
    "luke",
    "matthew",
    "dylan",
    "callum",
    "connor",
    "kieran",
    "jamie",
    "lewis",
    "nathan",
    "jordan",
    "aaron",
    "ben",
    "bradley",
    "craig",
    "dean",
    "gary",
    "lee",
    "scott",
    "shaun",
    "stuart",
    "wayne",
    "carl",
    "darren",
    "jason",
    "kevin",
    "neil",
    "paul",
    "mark",
    "andrew",
    "david",
    "michael",
    "christopher",
    "robert",
    "richard",
    "stephen",
    "anthony",
    "peter",
    "john",
    "ian",
    "simon",
    "martin",
    "steven",
    "graham",
    "keith",
    "brian",
    "alan",
    "colin",
    "kenneth",
    "derek",
    "raymond",
    "terence",
    "barry",
    "roger",
    "trevor",
    "malcolm",
    "gordon",
    "philip",
    "nigel",
    "geoffrey",
    "frederick",
    "albert",
    "ernest",
    "harold",
    "walter",
    "stanley",
    "leonard",
    "arthur",
    "reginald",
    "douglas",
    "mohammed",
    "ahmed",
    "ali",
    "hassan",
    "omar",
    "imran",
    "bilal",
    "usman",
    "arjun",
    "rohan",
    "sanjay",
    "gurpreet",
    "piotr",
    "tomasz",
    "krzysztof",
    "marek",
    "patrick",
    "sean",
    "declan",
    "niall",
    "ciaran",
    "eoin",
    "rhys",
    "dafydd",
    "gareth",
    "owen",
    "evan",
    "tyler",
    "kai",
    "reece",
    "jake",
    "mason",
    "kyle",
]
SURNAMES = [
    "smith",
    "jones",
    "williams",
    "taylor",
    "brown",
    "davies",
    "evans",
    "wilson",
    "thomas",
    "johnson",
    "roberts",
    "robinson",
    "thompson",
    "wright",
    "walker",
    "white",
    "edwards",
    "hughes",
    "green",
    "hall",
    "lewis",
    "harris",
    "clarke",
    "patel",
    "jackson",
    "wood",
    "turner",
    "martin",
    "cooper",
    "hill",
    "ward",
    "morris",
    "moore",
    "clark",
    "lee",
    "king",
    "baker",
    "harrison",
    "morgan",
    "allen",
    "james",
    "scott",
    "phillips",
    "watson",
    "davis",
    "parker",
    "price",
    "bennett",
    "young",
    "griffiths",
    "mitchell",
    "kelly",
    "cook",
    "carter",
    "richardson",
    "bailey",
    "collins",
    "bell",
    "shaw",
    "murphy",
    "miller",
    "cox",
    "richards",
    "khan",
    "marshall",
    "anderson",
    "simpson",
    "ellis",
    "adams",
    "singh",
    "begum",
    "wilkinson",
    "foster",
    "chapman",
    "powell",
    "webb",
    "rogers",
    "gray",
    "mason",
    "ali",
    "hunt",
    "hussain",
    "campbell",
    "matthews",
    "owen",
    "palmer",
    "holmes",
    "mills",
    "barnes",
    "knight",
    "lloyd",
    "butler",
    "russell",
    "barker",
    "fisher",
    "stevens",
    "jenkins",
    "murray",
    "dixon",
    "harvey",
    "graham",
    "pearson",
    "ahmed",
    "fletcher",
    "walsh",
    "kaur",
    "gibson",
    "howard",
    "andrews",
    "stewart",
    "elliott",
    "reynolds",
    "saunders",
    "payne",
    "fox",
    "ford",
    "pearce",
    "day",
    "brooks",
    "west",
    "lawrence",
    "cole",
    "atkinson",
    "bradley",
    "spencer",
    "gill",
    "dawson",
    "ball",
    "burton",
    "obrien",
    "watts",
    "rose",
    "booth",
    "perry",
    "ryan",
    "grant",
    "wells",
    "armstrong",
    "francis",
    "rees",
    "hayes",
    "hart",
    "hudson",
    "newman",
    "barrett",
    "webster",
    "hunter",
    "gregory",
    "carr",
    "lowe",
    "page",
    "marsh",
    "riley",
    "dunn",
    "woods",
    "parsons",
    "berry",
    "stone",
    "reid",
    "holland",
    "hawkins",
    "harding",
    "porter",
    "robertson",
    "newton",
    "oliver",
    "reed",
    "kennedy",
    "williamson",
    "bird",
    "gardner",
    "shah",
    "dean",
    "lane",
    "cooke",
    "bates",
    "henderson",
    "parry",
    "burgess",
    "bishop",
    "walton",
    "burns",
    "nicholson",
    "shepherd",
    "ross",
    "cross",
    "long",
    "freeman",
    "warren",
    "nicholls",
    "hamilton",
    "byrne",
    "sutton",
    "mcdonald",
    "yates",
    "hodgson",
    "robson",
    "curtis",
    "hopkins",
    "oconnor",
    "harper",
    "coleman",
    "watkins",
    "moss",
    "mccarthy",
    "chambers",
    "obrien",
    "griffin",
    "sharp",
    "hardy",
    "wheeler",
    "potter",
    "osborne",
    "johnston",
    "gordon",
    "doyle",
    "wallace",
    "george",
    "jordan",
    "hutchinson",
    "rowe",
    "burke",
    "may",
    "pritchard",
    "gilbert",
    "willis",
    "higgins",
    "read",
    "miles",
    "stevenson",
    "stephenson",
    "hammond",
    "arnold",
    "buckley",
    "walters",
    "hewitt",
    "barber",
    "nelson",
    "slater",
    "austin",
    "sullivan",
    "whitehead",
    "mann",
    "frost",
    "lambert",
    "stephens",
    "blake",
    "akhtar",
    "lynch",
    "goodwin",
    "barton",
    "woodward",
    "thomson",
    "cunningham",
    "quinn",
    "barnett",
    "baxter",
    "bibi",
    "clayton",
    "nash",
    "greenwood",
    "jennings",
    "holt",
    "kemp",
    "poole",
    "gallagher",
    "bond",
    "stokes",
    "tucker",
    "davidson",
    "fowler",
    "heath",
    "norman",
    "middleton",
    "lees",
    "banks",
    "french",
    "kowalski",
    "nowak",
    "wisniewski",
    "wojcik",
    "kaminski",
    "okafor",
    "adeyemi",
    "mensah",
    "asante",
    "nguyen",
    "tran",
    "chen",
    "wang",
    "li",
    "zhang",
    "mahmood",
    "iqbal",
    "rahman",
    "chowdhury",
    "uddin",
    "islam",
    "miah",
    "sharma",
    "kumar",
    "mistry",
]
STREETS = [
    "high",
    "church",
    "station",
    "park",
    "victoria",
    "green",
    "manor",
    "mill",
    "school",
    "queens",
    "kings",
    "new",
    "grange",
    "north",
    "south",
    "west",
    "east",
    "chapel",
    "orchard",
    "meadow",
    "springfield",
    "windsor",
    "york",
    "albert",
    "alexandra",
    "highfield",
    "brook",
    "cedar",
    "oak",
    "elm",
    "ash",
    "beech",
    "willow",
    "maple",
    "holly",
    "hawthorn",
    "rowan",
    "birch",
    "chestnut",
    "sycamore",
    "lime",
    "poplar",
    "hazel",
    "laurel",
    "myrtle",
    "heather",
    "primrose",
    "bluebell",
    "clarence",
    "stanley",
    "cromwell",
    "nelson",
    "wellington",
    "marlborough",
    "trinity",
    "st",
    "johns",
    "st",
    "marys",
    "abbey",
    "priory",
    "castle",
    "bridge",
    "market",
    "mount",
    "hill",
    "valley",
    "river",
    "riverside",
    "lake",
    "forest",
    "woodland",
    "wood",
    "field",
    "farm",
    "moor",
    "heath",
    "common",
]
STREET_TYPES = [
    "Road",
    "Street",
    "Lane",
    "Close",
    "Avenue",
    "Drive",
    "Way",
    "Gardens",
    "Crescent",
    "Place",
    "Grove",
    "Court",
    "Terrace",
    "Walk",
]
TOWNS = [
    "Ashbury",
    "Bramley",
    "Caldwick",
    "Dunmore",
    "Eastfield",
    "Fernhill",
    "Glenford",
    "Hartwell",
    "Ivybridge",
    "Kingsmere",
    "Larkfield",
    "Millbrook",
    "Northam",
    "Oakhurst",
    "Pendleton",
    "Queensbury",
    "Redhill",
    "Stonebridge",
    "Thornbury",
    "Upton",
    "Westwood",
    "Yarnfield",
]
AREAS = ["ZA", "ZB", "ZC", "ZD", "ZF", "ZG"]
UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


# Names of other origins, written as they often reach a referral (accents kept or not).
SOUTH_ASIAN_MALE = [
    "imran",
    "tariq",
    "khalid",
    "yusuf",
    "ibrahim",
    "abdul rahman",
    "abdul karim",
    "mustafa",
    "osman",
    "bilal",
    "kamran",
    "shahid",
    "zubair",
    "hamza",
    "faisal",
    "adnan",
    "nadeem",
    "asif",
    "rashid",
    "sajid",
    "hassan",
    "hussain",
    "ahmed",
    "ali",
    "javed",
    "waqas",
]
SOUTH_ASIAN_FEMALE = [
    "fatima",
    "aisha",
    "zainab",
    "maryam",
    "khadija",
    "yasmin",
    "rukhsana",
    "shabana",
    "nasreen",
    "samina",
    "farzana",
    "sadia",
    "nadia",
    "sumaira",
    "rehana",
    "parveen",
    "shazia",
]
SOUTH_ASIAN_SURNAMES = [
    "khan",
    "hussain",
    "ahmed",
    "chowdhury",
    "rahman",
    "begum",
    "miah",
    "uddin",
    "siddiqui",
    "qureshi",
    "akhtar",
    "shaikh",
    "syed",
    "mahmood",
    "iqbal",
    "islam",
    "ali",
    "malik",
    "butt",
    "bibi",
    "raza",
    "anwar",
    "aslam",
    "haider",
]
POLISH_MALE = [
    "łukasz",
    "wojciech",
    "krzysztof",
    "piotr",
    "tomasz",
    "grzegorz",
    "mateusz",
    "paweł",
    "michał",
    "jarosław",
    "marek",
    "andrzej",
]
POLISH_FEMALE = [
    "małgorzata",
    "katarzyna",
    "agnieszka",
    "magdalena",
    "joanna",
    "anna",
    "ewa",
    "beata",
    "dorota",
    "barbara",
    "żaneta",
]
POLISH_SURNAMES = [
    "kowalski",
    "nowak",
    "wiśniewski",
    "wójcik",
    "kamiński",
    "lewandowski",
    "zieliński",
    "szymański",
    "woźniak",
    "dąbrowski",
    "kozłowski",
    "jankowski",
    "mazur",
    "krawczyk",
]
EAST_MALE = ["sergei", "dmitri", "oleksandr", "yuri", "mikhail", "nikolai", "aleksei"]
EAST_FEMALE = ["olena", "tatiana", "natalia", "svetlana", "irina", "oksana", "yulia"]
EAST_SURNAMES = [
    "ivanov",
    "petrenko",
    "shevchenko",
    "kovalenko",
    "bondarenko",
    "melnyk",
    "popescu",
    "smirnov",
    "kuznetsov",
    "tkachenko",
]
VIETNAMESE_FAMILY = ["nguyễn", "trần", "lê", "phạm", "hoàng", "vũ", "phan", "đặng", "bùi", "đỗ"]
VIETNAMESE_FEMALE = ["lan", "hoa", "mai", "hương", "linh", "thu", "ngọc anh", "thanh", "hằng"]
VIETNAMESE_MALE = ["minh", "tuấn", "hùng", "đức", "nam", "quang", "long", "sơn", "dũng"]
# origin, share of people
ORIGINS = [
    ("uk", 0.75),
    ("south_asian", 0.12),
    ("polish", 0.06),
    ("east", 0.03),
    ("vietnamese", 0.04),
]


def zipf_weights(n: int, exponent: float = 1.0) -> list[float]:
    return [1.0 / (rank**exponent) for rank in range(1, n + 1)]


@dataclass
class Synthetic:
    """One generated record; ``true_id`` is the index of the person it is a record of."""

    forenames: str
    surname: str
    date_of_birth: datetime.date | None
    birth_year: str
    address: str
    postcode: str
    gender: str
    true_id: int
    aliases: list[str] = field(default_factory=list)
    origin: str = "uk"
    # Index of a relative in the same household and how they are related, for benchmarks.
    relative_of: int | None = None
    relation: str = ""
    household: int = -1  # the index of the household's first member


# Letters a clerk without the keyboard writes plainly (accents go by decomposition; these do not).
_PLAIN = str.maketrans({"ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ø": "o", "ß": "ss"})


def plain(value: str) -> str:
    """The name without its accents, as a form that takes only English letters has it."""
    value = value.translate(_PLAIN)
    return unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()


def title(value: str) -> str:
    return " ".join(part[:1].upper() + part[1:] for part in value.split())


# Ways a second record of a person differs from the first. Each applies to some records only
# (a maiden name to a woman with one, a transliteration to a name from another script).
VARIANT_KINDS = (
    "nickname",
    "forename_typo",
    "surname_typo",
    "dob_swapped",
    "dob_one_digit",
    "year_only",
    "no_dob",
    "moved",
    "refuge",
    "postcode_written",
    "names_reversed",
    "year_out",
    "placeholder",
    "married_name",
    "alias_on_referral",
    "stored_alias",
    "transliteration",
    "two_forenames",
    "particle",
    "placeholder_married",
    "year_out_married",
)
# The kinds drawn at random for a second record when none is asked for (latency benchmark).
COMMON_KINDS = VARIANT_KINDS
RELATIONS = ("father_son", "sibling", "mother_daughter")


_WEAK = frozenset({"mohammed", "muhammad", "mohammad", "md", "thi", "van", "thị", "văn"})


def _going_by(forenames: str) -> str:
    """The forename a person goes by: the first but Mohammed, Thị or Văn."""
    names = [plain(n.lower()) for n in forenames.split()]
    going = [n for n in names if n not in _WEAK]
    return going[0] if going else (names[0] if names else "")


class Generator:
    def __init__(self, seed: int = 20261123) -> None:
        self.random = random.Random(seed)
        self.female_w = zipf_weights(len(FEMALE), 0.9)
        self.male_w = zipf_weights(len(MALE), 0.9)
        self.surname_w = zipf_weights(len(SURNAMES), 0.8)
        # The forenames each household's people go by, and how many go by each; their birthdays.
        self.household_names: dict[int, Counter[str]] = {}
        self.household_births: dict[int, list[datetime.date]] = {}

    def postcode(self) -> str:
        r = self.random
        unit = r.choice(UNIT_LETTERS) + r.choice(UNIT_LETTERS)
        return f"{r.choice(AREAS)}{r.randint(1, 24)} {r.randint(0, 9)}{unit}"

    def street(self) -> str:
        r = self.random
        line = f"{r.randint(1, 180)} {r.choice(STREETS).title()} {r.choice(STREET_TYPES)}"
        if r.random() < 0.15:
            line = f"Flat {r.randint(1, 40)}, {line}"
        return f"{line}\n{r.choice(TOWNS)}"

    # -- names ----------------------------------------------------------------------------------

    def origin(self) -> str:
        names, weights = zip(*ORIGINS, strict=True)
        return self.random.choices(names, weights)[0]

    def _written(self, value: str) -> str:
        """Half the records keep a name's accents, half lose them."""
        return title(value if self.random.random() < 0.5 else plain(value))

    def forename(self, gender: str, origin: str = "uk") -> str:
        r = self.random
        female = gender == "female"
        if origin == "south_asian":
            first = r.choice(SOUTH_ASIAN_FEMALE if female else SOUTH_ASIAN_MALE)
            if not female and r.random() < 0.4:
                first = f"{r.choice(['mohammed', 'muhammad', 'mohammad', 'md'])} {first}"
            elif female and r.random() < 0.2:
                first = f"{first} {r.choice(SOUTH_ASIAN_FEMALE)}"
            return title(first)
        if origin == "polish":
            return self._written(r.choice(POLISH_FEMALE if female else POLISH_MALE))
        if origin == "east":
            return title(r.choice(EAST_FEMALE if female else EAST_MALE))
        if origin == "vietnamese":
            given = r.choice(VIETNAMESE_FEMALE if female else VIETNAMESE_MALE)
            if r.random() < (0.8 if female else 0.6):
                given = f"{'thị' if female else 'văn'} {given}"
            return self._written(given)
        names, weights = (FEMALE, self.female_w) if female else (MALE, self.male_w)
        first = r.choices(names, weights)[0]
        if r.random() < 0.3:
            first += " " + r.choices(names, weights)[0]
        return first.title()

    def family_name(self, origin: str = "uk") -> str:
        r = self.random
        if origin == "south_asian":
            return title(r.choice(SOUTH_ASIAN_SURNAMES))
        if origin == "polish":
            return self._written(r.choice(POLISH_SURNAMES))
        if origin == "east":
            return title(r.choice(EAST_SURNAMES))
        if origin == "vietnamese":
            return self._written(r.choice(VIETNAMESE_FAMILY))
        return r.choices(SURNAMES, self.surname_w)[0].title()

    def dob(self, low: int = 1940, high: int = 2008) -> datetime.date:
        start = datetime.date(low, 1, 1).toordinal()
        return datetime.date.fromordinal(
            self.random.randint(start, datetime.date(high, 12, 31).toordinal())
        )

    def _years_later(self, date: datetime.date, low: int, high: int) -> datetime.date | None:
        """A date ``low`` to ``high`` years after ``date``, or None if after 2008.

        At least ten months after it, as a brother or sister who is not a twin is.
        """
        days = 365 * self.random.randint(low, high) + self.random.randint(-60, 120)
        born = date + datetime.timedelta(days=max(days, 300))
        return born if born.year <= 2008 else None

    # -- households -----------------------------------------------------------------------------

    def households(self, people: int) -> list[Synthetic]:
        """``people`` records: households of one to five at one address, often related."""
        out: list[Synthetic] = []
        r = self.random
        while len(out) < people:
            address, postcode = self.street(), self.postcode()
            origin = self.origin()
            surname = self.family_name(origin)
            members = self._household(r.choice([1, 1, 2, 2, 2, 3, 3, 4, 5]), origin, surname)
            base = len(out)
            self.household_names[base] = Counter(_going_by(m.forenames) for m in members)
            self.household_births[base] = [m.date_of_birth for m in members if m.date_of_birth]
            for member in members:
                if len(out) >= people:
                    break
                member.true_id = len(out)
                member.household = base
                if member.relative_of is not None:
                    member.relative_of += base
                dob = member.date_of_birth
                member.date_of_birth = dob if r.random() > 0.04 else None
                if member.date_of_birth is None and dob and r.random() < 0.5:
                    member.birth_year = str(dob.year)
                member.address = address if r.random() > 0.03 else ""
                member.postcode = postcode if r.random() > 0.05 else ""
                if member.gender == "female" and r.random() < 0.08:
                    first = member.forenames.split()[0]
                    member.aliases = [f"{first} {self.family_name(member.origin)}"]
                out.append(member)
        return out

    def _person(
        self,
        gender: str,
        origin: str,
        surname: str,
        dob: datetime.date,
        used: set[str] | None = None,
    ) -> Synthetic:
        forenames = self.forename(gender, origin)
        for _ in range(20):
            if used is None or _going_by(forenames) not in used:
                break
            forenames = self.forename(gender, origin)
        if used is not None:
            used.add(_going_by(forenames))
        return Synthetic(
            forenames=forenames,
            surname=surname,
            date_of_birth=dob,
            birth_year="",
            address="",
            postcode="",
            gender=gender,
            true_id=0,
            origin=origin,
        )

    def _household(self, size: int, origin: str, surname: str) -> list[Synthetic]:
        """Adults first, then children of the first adult; relatives point at each other.

        No two people of a household go by the same forename, but for a son named after his
        father or a daughter after her mother.
        """
        r = self.random
        head = self._person(r.choice(["female", "male"]), origin, surname, self.dob(1940, 1988))
        members = [head]
        used = {_going_by(head.forenames)}
        if size >= 2 and r.random() < 0.6:
            other = "male" if head.gender == "female" else "female"
            partner_surname = surname if r.random() < 0.75 else self.family_name(origin)
            assert head.date_of_birth is not None
            born = head.date_of_birth + datetime.timedelta(days=r.randint(-3000, 3000))
            members.append(self._person(other, origin, partner_surname, born, used))
        previous: Synthetic | None = None
        while len(members) < size:
            gender = r.choice(["female", "male"])
            child_surname = surname if r.random() < 0.9 else self.family_name(origin)
            assert head.date_of_birth is not None
            if previous is None or previous.date_of_birth is None:
                born = self._years_later(head.date_of_birth, 18, 42)
            else:
                born = self._years_later(previous.date_of_birth, 1, 6)
            if born is None:
                # Too young to be born by 2008: an adult of the household, unrelated by age.
                adult = self._person(gender, origin, child_surname, self.dob(1940, 1990), used)
                members.append(adult)
                continue
            child = self._person(gender, origin, child_surname, born, used)
            child.relative_of, child.relation = 0, "parent_child"
            if previous is not None:
                child.relative_of, child.relation = members.index(previous), "sibling"
            if gender == head.gender and child_surname == surname:
                same_name = 0.12 if gender == "male" else 0.08
                if r.random() < same_name:
                    child.forenames = head.forenames
                    child.relative_of = 0
                    child.relation = "father_son" if gender == "male" else "mother_daughter"
                    if gender == "male" and r.random() < 0.3:
                        child.surname = f"{surname} Jr"
            members.append(child)
            previous = child
        return members

    # -- relatives not on record ----------------------------------------------------------------

    def relative(self, record: Synthetic, relation: str) -> Synthetic | None:
        """A relative of ``record`` at the same address, who is not themselves on record.

        Father and son share the forenames and are 20 to 40 years apart; brothers and sisters
        are 1 to 6 years apart; a daughter is 18 to 40 years from her mother and shares her
        forename one time in three. A relative is no one's twin, and goes by no forename anyone
        else at the address goes by. None when ``record`` cannot have that relative.
        """
        r = self.random
        dob = record.date_of_birth
        if dob is None or not record.surname or not (record.address or record.postcode):
            return None
        surname = record.surname.replace(" Jr", "")
        names = self.household_names.get(record.household, Counter())
        named_after = names[_going_by(record.forenames)] <= 1  # no one else goes by that name
        out = replace(record, aliases=[], true_id=-1, relative_of=record.true_id)
        out.relation, out.birth_year = relation, ""
        if relation == "father_son":
            if record.gender != "male" or not named_after:
                return None
            gap = r.randint(20, 40)
            out.surname = f"{surname} Jr" if r.random() < 0.15 else surname
        elif relation == "mother_daughter":
            if record.gender != "female":
                return None
            gap = r.randint(18, 40)
            if r.random() >= 1 / 3 or not named_after:
                out.forenames = self._other_forename(record, "female")
        elif relation == "sibling":
            gap = r.randint(1, 6)
            out.gender = r.choice(["female", "male"])
            out.forenames = self._other_forename(record, out.gender)
        else:
            raise ValueError(relation)
        older = dob.year - gap >= 1940 and (r.random() < 0.5 or dob.year + gap > 2008)
        # Born ``gap`` years before or after, give or take a few months, and at least ten months
        # from everyone in the household: a relative, not a twin of one of them.
        births = self.household_births.get(record.household, [dob])
        for _ in range(10):
            days = max(365 * gap + r.randint(-120, 120), 300)
            born = (
                dob - datetime.timedelta(days=days)
                if older
                else dob + datetime.timedelta(days=days)
            )
            if all(abs((born - other).days) >= 300 for other in births):
                out.date_of_birth = born
                return out
        return None

    def _other_forename(self, record: Synthetic, gender: str) -> str:
        """A forename no one in ``record``'s household goes by, in any form (Mia for Amelia)."""
        from openmarac.people.matching.nicknames import forename_forms

        used = set(self.household_names.get(record.household, Counter()))
        used.add(_going_by(record.forenames))
        taken = {form for name in used for form in forename_forms(name)}
        for _ in range(20):
            name = self.forename(gender, record.origin)
            if _going_by(name) not in used and not forename_forms(_going_by(name)) & taken:
                return name
        return self.forename(gender, record.origin)

    # -- variants -------------------------------------------------------------------------------

    def typo(self, word: str) -> str:
        r = self.random
        if len(word) < 3:
            return word
        i = r.randrange(1, len(word) - 1)
        kind = r.randrange(4)
        if kind == 0:
            return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        if kind == 1:
            return word[:i] + word[i + 1 :]
        if kind == 2:
            return word[:i] + r.choice(string.ascii_lowercase) + word[i + 1 :]
        return word[:i] + r.choice(string.ascii_lowercase) + word[i:]

    def respell(self, name: str, origin: str) -> str | None:
        """Another romanisation of a name from another script, by spelling rules, or None."""
        r = self.random
        word = name.lower()
        if origin in ("polish", "vietnamese") and plain(word) != word:
            return title(plain(word))
        rules: list[tuple[str, str]] = []
        if origin == "south_asian":
            rules = [("o", "u"), ("u", "o"), ("ee", "i"), ("i", "ee"), ("mm", "m"), ("m", "mm")]
            rules += [("dh", "d"), ("ou", "u"), ("a", "e"), ("ai", "ay"), ("y", "i"), ("q", "k")]
            rules += [("ss", "s"), ("s", "ss"), ("kh", "k"), ("z", "s"), ("ch", "chh")]
        elif origin == "polish":
            rules = [("w", "v"), ("sz", "sh"), ("cz", "ch"), ("ski", "sky"), ("j", "y")]
        elif origin == "east":
            rules = [("y", "i"), ("i", "y"), ("ei", "ey"), ("kh", "h"), ("ks", "x"), ("ya", "ia")]
            rules += [("ii", "iy"), ("o", "a"), ("e", "ye")]
        elif origin == "vietnamese":
            rules = [("ng", "n"), ("uy", "ui")]
        r.shuffle(rules)
        for old, new in rules:
            at = [i for i in range(1, len(word)) if word.startswith(old, i)]
            if word.startswith(old) and old not in ("a", "e", "i", "o", "u", "y"):
                at.insert(0, 0)
            if at:
                i = r.choice(at)
                return title(word[:i] + new + word[i + len(old) :])
        return None

    def variant(self, record: Synthetic) -> Synthetic:
        """The same person as a referral might write them: one or two things differ."""
        out = record
        for _ in range(self.random.choice([1, 1, 2])):
            for _try in range(10):
                changed = self.variant_of(out, self.random.choice(COMMON_KINDS))
                if changed is not None:
                    out = changed
                    break
        return out if out is not record else replace(record, aliases=list(record.aliases))

    def variant_of(self, record: Synthetic, kind: str) -> Synthetic | None:
        """``record`` written differently in the way ``kind`` names, or None if it cannot be."""
        from openmarac.people.matching.nicknames import _table

        r = self.random
        out = replace(record, aliases=list(record.aliases))
        first = out.forenames.split()[0] if out.forenames else ""
        d = out.date_of_birth
        if kind == "nickname":
            shorts = [n for n, forms in _table().items() if first.lower() in forms]
            shorts = [n for n in shorts if n != first.lower()]
            if not shorts:
                return None
            out.forenames = r.choice(shorts).title()
        elif kind == "surname_typo" and len(out.surname) > 3:
            out.surname = self.typo(out.surname.lower()).title()
        elif kind == "forename_typo" and len(first) > 3:
            out.forenames = self.typo(first.lower()).title()
        elif kind == "dob_swapped" and d and d.day <= 12 and d.day != d.month:
            out.date_of_birth = datetime.date(d.year, d.day, d.month)
        elif kind == "dob_one_digit" and d:
            text = d.strftime("%Y%m%d")
            for _ in range(20):
                i = r.choice([2, 3, 5, 6, 7])
                changed = text[:i] + str(r.randint(0, 9)) + text[i + 1 :]
                try:
                    out.date_of_birth = datetime.date(
                        int(changed[:4]), int(changed[4:6]), int(changed[6:])
                    )
                except ValueError:
                    continue
                if out.date_of_birth != d:
                    break
            if out.date_of_birth == d:
                return None
        elif kind == "year_only" and d:
            out.birth_year, out.date_of_birth = str(d.year), None
        elif kind == "no_dob" and (d or out.birth_year):
            out.date_of_birth, out.birth_year = None, ""
        elif kind == "moved":
            out.address, out.postcode = self.street(), self.postcode()
        elif kind == "refuge":
            # A refuge's address is withheld: at most a town and a postcode far away.
            out.address = r.choice(["Refuge", "Address withheld", "c/o Refuge\n" + "Upton", ""])
            out.postcode = self.postcode() if r.random() < 0.5 else ""
        elif kind == "postcode_written" and out.postcode:
            out.postcode = out.postcode.replace(" ", "").lower()
            out.address = out.address.replace("Road", "Rd").replace("Street", "St")
        elif kind == "names_reversed" and out.forenames and out.surname:
            out.forenames, out.surname = out.surname, out.forenames
        elif kind == "year_out" and d and not (d.month == 2 and d.day == 29):
            out.date_of_birth = d.replace(year=d.year + r.choice([-1, 1]))
        elif kind == "placeholder" and d and (d.month, d.day) != (1, 1) and d.day != 1:
            if r.random() < 0.5:
                out.date_of_birth = datetime.date(d.year, 1, 1)
            else:
                out.date_of_birth = datetime.date(d.year, d.month, 1)
        elif kind == "married_name" and out.gender == "female" and out.surname:
            out.surname = self._new_surname(out)
        elif kind == "alias_on_referral" and out.gender == "female" and out.surname and first:
            old = out.surname
            out.surname = self._new_surname(out)
            out.aliases = [f"{first} {old}"]
        elif kind == "stored_alias" and record.aliases:
            words = record.aliases[0].split()
            out.forenames, out.surname = " ".join(words[:-1]) or out.forenames, words[-1]
            out.aliases = []
        elif kind == "transliteration" and out.origin != "uk":
            names = out.forenames.split()
            which = r.randrange(2)
            if which == 0 and names:
                i = r.randrange(len(names))
                spelt = self.respell(names[i], out.origin)
                if spelt is None:
                    return None
                names[i] = spelt
                out.forenames = " ".join(names)
            else:
                spelt = self.respell(out.surname, out.origin) if out.surname else None
                if spelt is None:
                    return None
                out.surname = spelt
        elif kind == "two_forenames" and out.forenames:
            names = out.forenames.split()
            if len(names) >= 2:
                # Only the name the person goes by: not Mohammed, Thị or Văn.
                going = [n for n in names if n.lower() not in _WEAK]
                out.forenames = going[0] if going else names[-1]
            elif out.origin == "south_asian" and out.gender == "male":
                out.forenames = f"Mohammed {names[0]}"
            elif out.origin == "uk":
                pool = FEMALE if out.gender == "female" else MALE
                out.forenames = f"{names[0]} {r.choice(pool).title()}"
            else:
                return None
        elif kind == "particle" and out.origin == "vietnamese" and out.forenames:
            names = out.forenames.split()
            particles = {"thi", "van", "thị", "văn"}
            if names[0].lower() in particles and len(names) > 1:
                if r.random() < 0.5:
                    out.forenames = " ".join(names[1:])  # dropped
                else:
                    out.forenames = " ".join(names[1:])  # written after the family name
                    out.surname = f"{out.surname} {names[0]}"
            else:
                out.forenames = f"{'Thi' if out.gender == 'female' else 'Van'} {out.forenames}"
        elif kind in ("placeholder_married", "year_out_married"):
            dated = self.variant_of(
                record, kind.split("_")[0] if kind.startswith("placeholder") else "year_out"
            )
            return self.variant_of(dated, "married_name") if dated else None
        else:
            return None
        return out

    def _new_surname(self, record: Synthetic) -> str:
        for _ in range(20):
            name = self.family_name(record.origin if self.random.random() < 0.7 else "uk")
            if plain(name).lower() != plain(record.surname).lower():
                return name
        return "Newman"
