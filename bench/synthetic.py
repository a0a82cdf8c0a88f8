"""Plausible, invented UK people for the latency benchmark: households, relatives, duplicates.

Names are common UK forenames and surnames drawn with a long-tailed (Zipf-like) frequency, so
some are very common (as Smith and Jones are) and most are rare. Postcodes use the made-up
areas ZA, ZB, ZC, ZD, ZF and ZG, which no real postcode uses. About one person in ten is a second record of someone
already generated, written differently (a nickname, a typing slip, day and month swapped, a
missing date of birth, a double-barrelled surname...), as repeat referrals are.
"""

from __future__ import annotations

import datetime
import random
import string
from dataclasses import dataclass, field, replace

FEMALE = """olivia amelia isla ava emily sophia grace lily freya mia ella charlotte evie poppy
isabella jessica sophie ruby daisy chloe millie lucy holly ellie phoebe scarlett katie erin
megan hannah lauren amy rebecca emma sarah laura gemma rachel nicola jennifer claire kelly
samantha stacey natalie danielle zoe victoria kirsty leanne hayley jade charlene tracey
michelle lisa joanne donna julie karen louise helen amanda alison angela susan deborah
elizabeth margaret catherine katherine kathleen patricia jacqueline janet christine linda
carol sandra barbara pauline jean maureen shirley valerie brenda sharon beverley wendy dawn
joanna stephanie melissa alexandra georgina harriet annabel eleanor abigail bethany jasmine
aisha fatima ayesha zara amina mariam sana nadia priya anjali simran harpreet agnieszka
katarzyna joanna aleksandra monika siobhan niamh roisin ciara aoife caitlin bronwen rhiannon
ffion seren kayleigh chelsea courtney shannon paige jodie tia leah keira maisie""".split()
MALE = """oliver george noah arthur harry leo muhammad jack charlie oscar jacob henry thomas
freddie alfie theo william theodore archie joshua alexander james isaac edward lucas tommy
finley max logan ethan daniel samuel joseph benjamin adam liam ryan luke matthew dylan callum
connor kieran jamie lewis nathan jordan aaron ben bradley craig dean gary lee scott shaun
stuart wayne carl darren jason kevin neil paul mark andrew david michael christopher robert
richard stephen anthony peter john ian simon martin steven graham keith brian alan colin
kenneth derek raymond terence barry roger trevor malcolm gordon philip nigel geoffrey
frederick albert ernest harold walter stanley leonard arthur reginald douglas mohammed ahmed
ali hassan omar imran bilal usman arjun rohan sanjay gurpreet piotr tomasz krzysztof marek
patrick sean declan niall ciaran eoin rhys dafydd gareth owen evan tyler kai reece jake
mason kyle""".split()
SURNAMES = """smith jones williams taylor brown davies evans wilson thomas johnson roberts robinson
thompson wright walker white edwards hughes green hall lewis harris clarke patel jackson wood
turner martin cooper hill ward morris moore clark lee king baker harrison morgan allen james
scott phillips watson davis parker price bennett young griffiths mitchell kelly cook carter
richardson bailey collins bell shaw murphy miller cox richards khan marshall anderson simpson
ellis adams singh begum wilkinson foster chapman powell webb rogers gray mason ali hunt hussain
campbell matthews owen palmer holmes mills barnes knight lloyd butler russell barker fisher
stevens jenkins murray dixon harvey graham pearson ahmed fletcher walsh kaur gibson howard
andrews stewart elliott reynolds saunders payne fox ford pearce day brooks west lawrence cole
atkinson bradley spencer gill dawson ball burton obrien watts rose booth perry ryan grant wells
armstrong francis rees hayes hart hudson newman barrett webster hunter gregory carr lowe page
marsh riley dunn woods parsons berry stone reid holland hawkins harding porter robertson newton
oliver reed kennedy williamson bird gardner shah dean lane cooke bates henderson parry burgess
bishop walton burns nicholson shepherd ross cross long freeman warren nicholls hamilton byrne
sutton mcdonald yates hodgson robson curtis hopkins oconnor harper coleman watkins moss
mccarthy chambers obrien griffin sharp hardy wheeler potter osborne johnston gordon doyle
wallace george jordan hutchinson rowe burke may pritchard gilbert willis higgins read miles
stevenson stephenson hammond arnold buckley walters hewitt barber nelson slater austin sullivan
whitehead mann frost lambert stephens blake akhtar lynch goodwin barton woodward thomson
cunningham quinn barnett baxter bibi clayton nash greenwood jennings holt kemp poole gallagher
bond stokes tucker davidson fowler heath norman middleton lees banks french kowalski nowak
wisniewski wojcik kaminski okafor adeyemi mensah asante nguyen tran chen wang li zhang
mahmood iqbal rahman chowdhury uddin islam miah sharma kumar mistry""".split()
STREETS = """high church station park victoria green manor mill school queens kings new
grange north south west east chapel orchard meadow springfield windsor york albert
alexandra highfield brook cedar oak elm ash beech willow maple holly hawthorn rowan
birch chestnut sycamore lime poplar hazel laurel myrtle heather primrose bluebell
clarence stanley cromwell nelson wellington marlborough trinity st johns st marys
abbey priory castle bridge market mount hill valley river riverside lake forest
woodland wood field farm moor heath common""".split()
STREET_TYPES = ["Road", "Street", "Lane", "Close", "Avenue", "Drive", "Way", "Gardens", "Crescent",
                "Place", "Grove", "Court", "Terrace", "Walk"]
TOWNS = """Ashbury Bramley Caldwick Dunmore Eastfield Fernhill Glenford Hartwell Ivybridge
Kingsmere Larkfield Millbrook Northam Oakhurst Pendleton Queensbury Redhill Stonebridge
Thornbury Upton Westwood Yarnfield""".split()
AREAS = ["ZA", "ZB", "ZC", "ZD", "ZF", "ZG"]
UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


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


class Generator:
    def __init__(self, seed: int = 20261123) -> None:
        self.random = random.Random(seed)
        self.female_w = zipf_weights(len(FEMALE), 0.9)
        self.male_w = zipf_weights(len(MALE), 0.9)
        self.surname_w = zipf_weights(len(SURNAMES), 0.8)

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

    def forename(self, gender: str) -> str:
        names, weights = (FEMALE, self.female_w) if gender == "female" else (MALE, self.male_w)
        first = self.random.choices(names, weights)[0]
        if self.random.random() < 0.3:
            first += " " + self.random.choices(names, weights)[0]
        return first.title()

    def dob(self, low: int = 1940, high: int = 2008) -> datetime.date:
        start = datetime.date(low, 1, 1).toordinal()
        return datetime.date.fromordinal(
            self.random.randint(start, datetime.date(high, 12, 31).toordinal())
        )

    def households(self, people: int) -> list[Synthetic]:
        """``people`` records: households of one to five sharing an address and often a surname."""
        out: list[Synthetic] = []
        r = self.random
        while len(out) < people:
            address, postcode = self.street(), self.postcode()
            surname = r.choices(SURNAMES, self.surname_w)[0].title()
            for _member in range(r.choice([1, 1, 2, 2, 2, 3, 3, 4, 5])):
                if len(out) >= people:
                    break
                gender = r.choice(["female", "male"])
                own = surname if r.random() < 0.75 else r.choices(SURNAMES, self.surname_w)[0].title()
                if r.random() < 0.05:
                    own = f"{own}-{r.choices(SURNAMES, self.surname_w)[0].title()}"
                dob = self.dob()
                record = Synthetic(
                    forenames=self.forename(gender),
                    surname=own,
                    date_of_birth=dob if r.random() > 0.04 else None,
                    birth_year="",
                    address=address if r.random() > 0.03 else "",
                    postcode=postcode if r.random() > 0.05 else "",
                    gender=gender,
                    true_id=len(out),
                )
                if record.date_of_birth is None and r.random() < 0.5:
                    record.birth_year = str(dob.year)
                if gender == "female" and r.random() < 0.08:
                    record.aliases = [f"{record.forenames.split()[0]} {r.choices(SURNAMES, self.surname_w)[0].title()}"]
                out.append(record)
        return out

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

    def variant(self, record: Synthetic) -> Synthetic:
        """The same person as a referral might write them: one or two things differ."""
        from openmarac.people.matching.nicknames import _table

        r = self.random
        out = replace(record, aliases=list(record.aliases))
        for _ in range(r.choice([1, 1, 2])):
            kind = r.randrange(10)
            first = out.forenames.split()[0] if out.forenames else ""
            if kind == 0 and first:
                shorts = [n for n, forms in _table().items() if first.lower() in forms and n != first.lower()]
                if shorts:
                    out.forenames = r.choice(shorts).title()
            elif kind == 1 and out.surname:
                out.surname = self.typo(out.surname.lower()).title()
            elif kind == 2 and first:
                out.forenames = self.typo(first.lower()).title()
            elif kind == 3 and out.date_of_birth and out.date_of_birth.day <= 12:
                d = out.date_of_birth
                out.date_of_birth = datetime.date(d.year, d.day, d.month)
            elif kind == 4 and out.date_of_birth:
                d = out.date_of_birth
                out.birth_year, out.date_of_birth = str(d.year), None
            elif kind == 5:
                out.address, out.postcode = self.street(), self.postcode()  # moved house
            elif kind == 6 and out.postcode:
                out.postcode = out.postcode.replace(" ", "").lower()
                out.address = out.address.replace("Road", "Rd").replace("Street", "St")
            elif kind == 7 and out.forenames and out.surname:
                out.forenames, out.surname = out.surname, first
            elif kind == 8 and out.date_of_birth:
                d = out.date_of_birth
                try:
                    out.date_of_birth = d.replace(year=d.year + r.choice([-1, 1]))
                except ValueError:
                    pass
            elif kind == 9:
                out.date_of_birth, out.birth_year = None, ""
        return out
