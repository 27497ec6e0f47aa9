"""Embedded reference pools for the demo world: names, places, mail domains, country spellings.

Pools are small and hand-written so the generator needs no network, no Faker and stays
byte-identical across library versions. CN, JP and KR names carry a romanization, used for
the local part of e-mail addresses.
"""

from __future__ import annotations

from dataclasses import dataclass

# ISO alpha-2 → share of the default population (percent).
DEFAULT_COUNTRY_WEIGHTS: dict[str, int] = {
    "DE": 30,
    "US": 25,
    "GB": 10,
    "FR": 10,
    "CN": 8,
    "JP": 7,
    "ES": 3,
    "IT": 3,
    "NL": 2,
    "CH": 1,
    "AT": 1,
}
# Countries only in populations chosen with --countries, weighted on the same scale. They stay
# out of the default mix so default runs keep producing the same files.
OPTIONAL_COUNTRY_WEIGHTS: dict[str, int] = {"KR": 5, "BR": 8}
COUNTRY_WEIGHTS: dict[str, int] = {**DEFAULT_COUNTRY_WEIGHTS, **OPTIONAL_COUNTRY_WEIGHTS}
DEFAULT_COUNTRIES: tuple[str, ...] = tuple(DEFAULT_COUNTRY_WEIGHTS)
COUNTRIES: tuple[str, ...] = tuple(COUNTRY_WEIGHTS)  # every country the generator can write


def country_weights(countries: tuple[str, ...] = ()) -> dict[str, int]:
    """Weights of the population's countries: the default mix, or only `countries`.

    Kept in COUNTRY_WEIGHTS order whatever order `countries` come in, so 'KR,BR' and
    'BR,KR' give the same people.
    """
    if not countries:
        return dict(DEFAULT_COUNTRY_WEIGHTS)
    unknown = sorted(set(countries) - set(COUNTRY_WEIGHTS))
    if unknown:
        raise ValueError(f"unknown countries {unknown}; expected some of {list(COUNTRIES)}")
    return {code: weight for code, weight in COUNTRY_WEIGHTS.items() if code in countries}


CURRENCY: dict[str, str] = {
    "DE": "EUR",
    "US": "USD",
    "GB": "GBP",
    "FR": "EUR",
    "CN": "CNY",
    "JP": "JPY",
    "ES": "EUR",
    "IT": "EUR",
    "NL": "EUR",
    "CH": "CHF",
    "AT": "EUR",
    "KR": "KRW",
    "BR": "BRL",
}

# Typical order value per currency (a lognormal median), so amounts look local.
ORDER_MEDIAN: dict[str, float] = {
    "EUR": 60.0,
    "USD": 70.0,
    "GBP": 50.0,
    "CNY": 400.0,
    "JPY": 8000.0,
    "CHF": 75.0,
    "KRW": 80000.0,
    "BRL": 250.0,
}
# Currencies written without minor units ('8000.00', never '8000.37').
WHOLE_UNIT_CURRENCIES: frozenset[str] = frozenset({"JPY", "KRW"})

# How a country is written: alpha-3, English spellings, endonyms and spellings in other
# languages. Every entry resolves to its alpha-2 code in seeds/country_aliases.csv.
COUNTRY_ISO3: dict[str, str] = {
    "DE": "DEU",
    "US": "USA",
    "GB": "GBR",
    "FR": "FRA",
    "CN": "CHN",
    "JP": "JPN",
    "ES": "ESP",
    "IT": "ITA",
    "NL": "NLD",
    "CH": "CHE",
    "AT": "AUT",
    "KR": "KOR",
    "BR": "BRA",
}
COUNTRY_ENGLISH: dict[str, tuple[str, ...]] = {
    "DE": ("Germany", "Federal Republic of Germany"),
    "US": ("United States", "United States of America", "USA", "U.S.", "U.S.A.", "America"),
    "GB": ("United Kingdom", "Great Britain", "UK", "U.K."),
    "FR": ("France", "French Republic"),
    "CN": ("China", "People's Republic of China", "PRC"),
    "JP": ("Japan",),
    "ES": ("Spain", "Kingdom of Spain"),
    "IT": ("Italy", "Italian Republic"),
    "NL": ("Netherlands", "The Netherlands", "Holland"),
    "CH": ("Switzerland",),
    "AT": ("Austria", "Republic of Austria"),
    "KR": ("South Korea", "Republic of Korea", "Korea, Republic of", "Korea"),
    "BR": ("Brazil", "Federative Republic of Brazil"),
}
COUNTRY_NATIVE: dict[str, tuple[str, ...]] = {
    "DE": ("Deutschland", "Allemagne", "Alemania", "Germania", "BRD"),
    "US": ("Vereinigte Staaten", "États-Unis", "Estados Unidos", "美国"),
    "GB": ("Vereinigtes Königreich", "Royaume-Uni", "Reino Unido", "英国"),
    "FR": ("Frankreich", "Francia", "法国"),
    "CN": ("中国", "中华人民共和国", "Chine", "Volksrepublik China"),
    "JP": ("日本", "Japon", "Giappone", "Nippon"),
    "ES": ("España", "Espagne", "Spanien"),
    "IT": ("Italia", "Italien", "Italie"),
    "NL": ("Nederland", "Niederlande", "Pays-Bas"),
    "CH": ("Schweiz", "Suisse", "Svizzera", "Confoederatio Helvetica"),
    "AT": ("Österreich", "Autriche", "Oostenrijk"),
    "KR": ("대한민국", "한국", "Südkorea", "Corée du Sud", "韩国"),
    "BR": ("Brasil", "República Federativa do Brasil", "Brasilien", "Brésil", "巴西"),
}
# Spellings that name no country at all (validity defects). None of them is a placeholder
# such as 'unknown' or 'xx', which the warehouse reads as missing rather than invalid.
UNRESOLVABLE_COUNTRIES: tuple[str, ...] = (
    "Atlantis",
    "Narnia",
    "Unknown Land",
    "Middle Earth",
    "Wakanda",
    "Freedonia",
    "ZZ",
    "QQ",
    "XYZ",
)


def country_aliases() -> dict[str, str]:
    """Every spelling the generator writes for a country → alpha-2 (for the warehouse seeds)."""
    aliases: dict[str, str] = {}
    for code in COUNTRIES:
        for spelling in (code, COUNTRY_ISO3[code], *COUNTRY_ENGLISH[code], *COUNTRY_NATIVE[code]):
            aliases[spelling] = code
    return aliases


# Placeholders written for a missing value (any case, or only spaces).
MISSING_TOKENS: tuple[str, ...] = ("", "", "", "NULL", "N/A", "-", "none", " ", "   ")
# A missing name is written only with tokens no person carries: 'Null' and 'Nil' are names.
MISSING_NAME_TOKENS: tuple[str, ...] = ("", "", "", "N/A", "-", " ", "   ")
# Names that look like placeholders but are people's names (Turkish 'Nil', Korean 'Na',
# the surname 'Null'); the pools carry them, the truth counts them as valid names.
PLACEHOLDER_LIKE_NAMES: frozenset[str] = frozenset({"Na", "Nil", "Null"})


@dataclass(frozen=True, slots=True)
class Name:
    """A name as written in its locale and its ASCII spelling for e-mail addresses."""

    native: str
    latin: str


def _latin(names: str) -> tuple[Name, ...]:
    """Latin-script names; the ASCII spelling is derived later by `ascii_fold`."""
    return tuple(Name(name, "") for name in names.split(","))


def _romanized(pairs: str) -> tuple[Name, ...]:
    """'王:wang,李:li' → Names with an explicit romanization."""
    return tuple(Name(*pair.split(":")) for pair in pairs.split(","))


def _two_surnames(maternal: str, paternal: str) -> tuple[Name, ...]:
    """Brazilian family names: a maternal then a paternal surname ('Oliveira dos Santos').

    Every pair of different surnames; the ASCII spelling is derived later by `ascii_fold`.
    """
    paternal_names = paternal.split(",")
    return tuple(
        Name(f"{first} {second}", "")
        for first in maternal.split(",")
        for second in paternal_names
        if not second.endswith(f" {first}") and second != first
    )


FIRST_NAMES: dict[str, tuple[Name, ...]] = {
    "DE": _latin(
        "Anna,Maria,Ursula,Monika,Petra,Sabine,Renate,Ingrid,Karin,Julia,Laura,Lena,Sophie,"
        "Katharina,Stefanie,Franziska,Christina,Zoë,Jürgen,Günter,Jörg,Klaus,Hans,Johann,"
        "Johannes,Peter,Wolfgang,Michael,Thomas,Andreas,Stefan,Matthias,Alexander,"
        "Maximilian,Lukas,Jonas,Leon,Felix,Paul,Friedrich,Josef,Sören,Björn,Elisabeth,"
        "Margarete,Hannelore,Uwe,Dieter,Heinz,Jörn,Käthe,Mia,Emilia,Niklas,Tim,Nil"
    ),
    "US": _latin(
        "James,Robert,John,Michael,William,David,Richard,Joseph,Thomas,Christopher,Charles,"
        "Daniel,Matthew,Anthony,Andrew,Joshua,Edward,Benjamin,Samuel,Nicholas,Jonathan,"
        "Mary,Patricia,Jennifer,Linda,Elizabeth,Barbara,Susan,Jessica,Sarah,Karen,Nancy,"
        "Margaret,Katherine,Deborah,Rebecca,Victoria,Emily,Ashley,Madison,Zoë,José,María,"
        "Tyler,Brandon,Kevin,Brian,Dorothy,Helen,Megan,Olivia,Ethan,Chloe,Aaliyah,DeShawn"
    ),
    "GB": _latin(
        "Oliver,George,Harry,Jack,Jacob,Charlie,Thomas,James,William,Edward,Henry,Alfie,"
        "Arthur,Noah,Olivia,Amelia,Isla,Ava,Emily,Sophie,Grace,Charlotte,Lily,Poppy,Evie,"
        "Zoë,Margaret,Elizabeth,Victoria,Siobhán,Seán,Niamh,Robert,Katherine,Richard,"
        "Christopher,Susan,Rebecca,Gareth,Rhys,Fiona,Alistair,Eilidh,Callum,Priya"
    ),
    "FR": _latin(
        "François,Françoise,Jean,Pierre,Michel,Philippe,Alain,Nicolas,Guillaume,Julien,"
        "Sébastien,Jérôme,Stéphane,Frédéric,Hélène,Chloé,Léa,Manon,Camille,Inès,Zoé,Céline,"
        "Amélie,Élodie,Mathilde,Juliette,Catherine,Isabelle,Nathalie,Sylvie,Théo,Hugo,Louis,"
        "Gabriel,Raphaël,Noël,Gaël,Anaïs,Maëlle,Océane,Benoît,Agnès,Thérèse,Joël,Loïc"
    ),
    "ES": _latin(
        "José,María,Antonio,Manuel,Francisco,Juan,David,Javier,Daniel,Carlos,Jesús,"
        "Alejandro,Miguel,Rafael,Pedro,Ángel,Pablo,Sergio,Fernando,Jorge,Ignacio,Carmen,Ana,"
        "Isabel,Dolores,Pilar,Teresa,Rosa,Lucía,Laura,Marta,Cristina,Sofía,Paula,Inés,"
        "Begoña,Itziar,Nuria,Raquel,Mónica,Íñigo,Nerea,Álvaro,Adrián,Concepción"
    ),
    "IT": _latin(
        "Giuseppe,Giovanni,Antonio,Mario,Luigi,Francesco,Angelo,Vincenzo,Pietro,Salvatore,"
        "Carlo,Franco,Domenico,Bruno,Paolo,Michele,Giorgio,Aldo,Sergio,Luca,Marco,Andrea,"
        "Niccolò,Maria,Anna,Giuseppina,Rosa,Angela,Giovanna,Teresa,Lucia,Carmela,Caterina,"
        "Francesca,Chiara,Giulia,Sara,Martina,Elena,Alessandra,Nicolò,Ilaria,Federica"
    ),
    "NL": _latin(
        "Jan,Johannes,Pieter,Cornelis,Hendrik,Willem,Gerrit,Dirk,Jacobus,Daan,Sem,Lucas,"
        "Levi,Bram,Thijs,Sven,Joris,Maarten,Maria,Johanna,Anna,Cornelia,Wilhelmina,Emma,"
        "Julia,Sophie,Tess,Zoë,Sanne,Lotte,Femke,Anouk,Eline,Noor,Fenna,Anke,Inge,Marieke,"
        "Ruud,Kees,Joost,Sjoerd,Ilse"
    ),
    "CH": _latin(
        "Luca,Noah,Leon,Elias,Matteo,Liam,Gian,Reto,Urs,Beat,Jürg,Hansruedi,Mia,Emma,Lina,"
        "Lea,Sofia,Elena,Chiara,Nicole,Monika,Ursula,Françoise,Jérôme,Zoë,Thomas,Daniel,"
        "Andreas,Peter,Barbara,Verena,Regula,Marco,Stéphanie,Corinne,Fabienne,Rolf,Ruedi"
    ),
    "AT": _latin(
        "Maximilian,Lukas,Tobias,Florian,Stefan,Josef,Johann,Franz,Karl,Georg,Wolfgang,"
        "Herbert,Gerhard,Andreas,Christian,Anna,Maria,Elisabeth,Theresia,Katharina,Sophie,"
        "Lena,Hannah,Magdalena,Johanna,Barbara,Andrea,Sabine,Birgit,Claudia,Jürgen,Günther,"
        "Sebastian,Valentina,Leonie,Ferdinand,Rosemarie"
    ),
    "CN": _romanized(
        "伟:wei,芳:fang,娜:na,秀英:xiuying,敏:min,静:jing,丽:li,强:qiang,磊:lei,军:jun,"
        "洋:yang,勇:yong,艳:yan,杰:jie,娟:juan,涛:tao,明:ming,超:chao,秀兰:xiulan,霞:xia,"
        "平:ping,刚:gang,桂英:guiying,建华:jianhua,志强:zhiqiang,婷:ting,浩然:haoran,"
        "子涵:zihan,欣怡:xinyi,宇轩:yuxuan,梓萱:zixuan,俊杰:junjie,雨涵:yuhan,一诺:yinuo,"
        "建国:jianguo,海燕:haiyan,晓明:xiaoming,文静:wenjing,志伟:zhiwei,丹:dan"
    ),
    "JP": _romanized(
        "太郎:taro,翔太:shota,健太:kenta,大輔:daisuke,拓也:takuya,蓮:ren,陽翔:haruto,"
        "悠真:yuma,湊:minato,誠:makoto,浩:hiroshi,隆:takashi,健一:kenichi,直樹:naoki,"
        "花子:hanako,陽菜:hina,結衣:yui,さくら:sakura,美咲:misaki,葵:aoi,愛:ai,優子:yuko,"
        "恵子:keiko,陽子:yoko,由美:yumi,真由美:mayumi,明美:akemi,彩:aya,凛:rin,美穂:miho,"
        "一郎:ichiro,修:osamu,和子:kazuko,翼:tsubasa,大和:yamato"
    ),
    "KR": _romanized(
        "민준:minjun,서준:seojun,도윤:doyun,예준:yejun,시우:siwoo,하준:hajun,지호:jiho,"
        "지훈:jihoon,현우:hyunwoo,준서:junseo,성민:sungmin,영호:youngho,동현:donghyun,"
        "상훈:sanghoon,정호:jungho,서연:seoyeon,서윤:seoyun,지우:jiwoo,하은:haeun,민서:minseo,"
        "지민:jimin,수빈:subin,예은:yeeun,유진:yujin,수진:sujin,은지:eunji,혜진:hyejin,"
        "미영:miyoung,영희:younghee,순자:sunja,나래:narae,보람:boram,하늘:haneul,다은:daeun,"
        "채원:chaewon,철수:cheolsu"
    ),
    "BR": _latin(
        "João,José,Antônio,Francisco,Carlos,Paulo,Pedro,Lucas,Luiz,Marcos,Gabriel,Rafael,"
        "Daniel,Marcelo,Bruno,Eduardo,Felipe,Rodrigo,André,Fernando,Fábio,Gustavo,Guilherme,"
        "Thiago,Matheus,Sebastião,Raimundo,Maria,Ana,Francisca,Antônia,Adriana,Juliana,"
        "Márcia,Fernanda,Patrícia,Aline,Camila,Amanda,Bruna,Jéssica,Letícia,Júlia,Luciana,"
        "Vanessa,Mariana,Gabriela,Beatriz,Larissa,Conceição,Raimunda"
    ),
}

LAST_NAMES: dict[str, tuple[Name, ...]] = {
    "DE": _latin(
        "Müller,Schmidt,Schneider,Fischer,Weber,Meyer,Wagner,Becker,Schulz,Hoffmann,"
        "Schäfer,Koch,Bauer,Richter,Klein,Wolf,Schröder,Neumann,Schwarz,Zimmermann,Braun,"
        "Krüger,Hofmann,Hartmann,Lange,Schmitt,Werner,Krause,Meier,Lehmann,Köhler,Weiß,"
        "Groß,Jäger,Vogel,Böhm,Günther,Dietrich,Fuchs,Kaiser,von Arnim,Özdemir,Yılmaz,"
        "Nowak,Brandt,Haas,Schubert,Peters,Roth,Frank"
    ),
    "US": _latin(
        "Smith,Johnson,Williams,Brown,Jones,Garcia,Miller,Davis,Rodriguez,Martinez,"
        "Hernandez,Lopez,Gonzalez,Wilson,Anderson,Thomas,Taylor,Moore,Jackson,Martin,Lee,"
        "Perez,Thompson,White,Harris,Sanchez,Clark,Ramirez,Lewis,Robinson,Walker,Young,"
        "Allen,King,Wright,Scott,Torres,Nguyen,Hill,Flores,O'Brien,O'Connor,McDonald,Kim,"
        "Patel,Cohen,Baker,Rivera,Campbell,Mitchell,Na,Null"
    ),
    "GB": _latin(
        "Smith,Jones,Taylor,Brown,Williams,Wilson,Johnson,Davies,Robinson,Wright,Thompson,"
        "Evans,Walker,White,Roberts,Green,Hall,Wood,Jackson,Clarke,Patel,Khan,Hughes,"
        "Edwards,Lewis,Turner,Hill,Cooper,Ward,Morris,Moore,Clark,Harrison,O'Neill,Murphy,"
        "MacDonald,Campbell,Stewart,Price,Bennett,Ahmed,Singh,Lloyd,Fletcher"
    ),
    "FR": _latin(
        "Martin,Bernard,Dubois,Thomas,Robert,Richard,Petit,Durand,Leroy,Moreau,Simon,"
        "Laurent,Lefèvre,Michel,Garcia,David,Bertrand,Roux,Vincent,Fournier,Morel,Girard,"
        "André,Lefebvre,Mercier,Dupont,Lambert,Bonnet,François,Faure,Rousseau,Blanc,Guérin,"
        "Muller,Chevalier,Gauthier,Perrin,Lemaître,Bézier,Da Silva,Benoît,Noël"
    ),
    "ES": _latin(
        "García,Rodríguez,González,Fernández,López,Martínez,Sánchez,Pérez,Gómez,Martín,"
        "Jiménez,Ruiz,Hernández,Díaz,Moreno,Muñoz,Álvarez,Romero,Alonso,Gutiérrez,Navarro,"
        "Torres,Domínguez,Vázquez,Ramos,Gil,Ramírez,Serrano,Blanco,Molina,Castro,Ortega,"
        "Rubio,Marín,Sanz,Núñez,Iglesias,Medina,Garrido,Cortés,de la Cruz,Peña"
    ),
    "IT": _latin(
        "Rossi,Russo,Ferrari,Esposito,Bianchi,Romano,Colombo,Ricci,Marino,Greco,Bruno,"
        "Gallo,Conti,De Luca,Mancini,Costa,Giordano,Rizzo,Lombardi,Moretti,Barbieri,"
        "Fontana,Santoro,Mariani,Rinaldi,Caruso,Ferrara,Galli,Martini,Leone,Longo,Gentile,"
        "Martinelli,Vitale,Lombardo,Serra,Coppola,De Santis,D'Angelo,Marchetti,Nicolò"
    ),
    "NL": _latin(
        "de Jong,Jansen,de Vries,van den Berg,van Dijk,Bakker,Janssen,Visser,Smit,Meijer,"
        "de Boer,Mulder,de Groot,Bos,Vos,Peters,Hendriks,van Leeuwen,Dekker,Brouwer,de Wit,"
        "Dijkstra,Smits,de Graaf,van der Meer,van der Linden,Kok,Jacobs,de Haan,Vermeulen,"
        "van den Heuvel,van der Veen,van den Broek,de Bruijn,Schouten,Oosterhuis"
    ),
    "CH": _latin(
        "Müller,Meier,Schmid,Keller,Weber,Huber,Schneider,Meyer,Steiner,Fischer,Gerber,"
        "Brunner,Baumann,Frei,Zimmermann,Moser,Widmer,Wyss,Graf,Roth,Favre,Bonvin,Rochat,"
        "Rossi,Bernasconi,Käser,Bühler,Häfliger,Zürcher,Lüthi,Bärtschi,Gilliéron"
    ),
    "AT": _latin(
        "Gruber,Huber,Bauer,Wagner,Müller,Pichler,Steiner,Moser,Mayer,Hofer,Leitner,Berger,"
        "Fuchs,Eder,Fischer,Schmid,Winkler,Weber,Schwarz,Maier,Schneider,Reiter,Mayr,"
        "Schmidt,Wimmer,Egger,Brunner,Lang,Baumgartner,Auer,Binder,Lechner,Wolf,Wallner,"
        "Aigner,Ebner,Koller,Lehner,Haas,Schuster,Pröll,Strauß"
    ),
    "CN": _romanized(
        "王:wang,李:li,张:zhang,刘:liu,陈:chen,杨:yang,黄:huang,赵:zhao,吴:wu,周:zhou,"
        "徐:xu,孙:sun,马:ma,朱:zhu,胡:hu,郭:guo,何:he,高:gao,林:lin,罗:luo,郑:zheng,"
        "梁:liang,谢:xie,宋:song,唐:tang,许:xu,韩:han,冯:feng,邓:deng,曹:cao,欧阳:ouyang"
    ),
    "JP": _romanized(
        "佐藤:sato,鈴木:suzuki,高橋:takahashi,田中:tanaka,伊藤:ito,渡辺:watanabe,"
        "山本:yamamoto,中村:nakamura,小林:kobayashi,加藤:kato,吉田:yoshida,山田:yamada,"
        "佐々木:sasaki,山口:yamaguchi,松本:matsumoto,井上:inoue,木村:kimura,林:hayashi,"
        "斎藤:saito,清水:shimizu,山崎:yamazaki,森:mori,池田:ikeda,橋本:hashimoto,阿部:abe,"
        "石川:ishikawa,前田:maeda,藤田:fujita,岡田:okada,後藤:goto"
    ),
    # Kim, Lee and Park are listed more than once: close to half of all Koreans bear one.
    "KR": _romanized(
        "김:kim,김:kim,김:kim,김:kim,김:kim,이:lee,이:lee,이:lee,이:lee,박:park,박:park,"
        "최:choi,정:jung,강:kang,조:cho,윤:yoon,장:jang,임:lim,한:han,오:oh,서:seo,신:shin,"
        "권:kwon,황:hwang,안:ahn,송:song,류:ryu,전:jeon,홍:hong,고:ko,문:moon,양:yang,손:son,"
        "배:bae,백:baek,허:heo,유:yoo,남:nam,나:na,노:noh,하:ha,남궁:namgung,제갈:jegal,"
        "선우:sunwoo"
    ),
    "BR": _two_surnames(
        "Oliveira,Souza,Rodrigues,Ferreira,Alves,Pereira,Lima,Gomes,Costa,Ribeiro,Martins,"
        "Carvalho,Almeida,Lopes,Soares,Fernandes,Vieira,Barbosa,Rocha,Dias,Araújo,Gonçalves",
        "Silva,Santos,Oliveira,Souza,Lima,Costa,Pereira,Ferreira,Nascimento,Andrade,Moreira,"
        "Nunes,Marques,Machado,Mendes,Freitas,Cardoso,Ramos,Teixeira,Correia,da Silva,"
        "dos Santos,de Souza,de Oliveira,da Costa,do Nascimento,de Araújo",
    ),
}

# Short forms a person may give instead of the registered first name (duplicate records).
NICKNAMES: dict[str, tuple[str, ...]] = {
    "Robert": ("Bob", "Rob", "Bobby"),
    "William": ("Bill", "Will", "Billy"),
    "Katherine": ("Kate", "Kathy", "Katie"),
    "Johann": ("Hans",),
    "Johannes": ("Hans", "Jan"),
    "Elizabeth": ("Liz", "Beth", "Lizzie"),
    "Elisabeth": ("Lisa", "Sisi", "Elli"),
    "Michael": ("Mike", "Micha"),
    "James": ("Jim", "Jimmy"),
    "Thomas": ("Tom", "Tommy"),
    "Christopher": ("Chris",),
    "Alexander": ("Alex", "Sascha"),
    "Margaret": ("Maggie", "Peggy"),
    "Margarete": ("Grete",),
    "Jennifer": ("Jen", "Jenny"),
    "Richard": ("Rick", "Dick"),
    "Joseph": ("Joe",),
    "Daniel": ("Dan", "Danny"),
    "Matthew": ("Matt",),
    "Andrew": ("Andy", "Drew"),
    "Anthony": ("Tony",),
    "Benjamin": ("Ben",),
    "Nicholas": ("Nick",),
    "Samuel": ("Sam",),
    "Jonathan": ("Jon",),
    "Patricia": ("Pat", "Patty"),
    "Susan": ("Sue",),
    "Deborah": ("Deb", "Debbie"),
    "Rebecca": ("Becky",),
    "Victoria": ("Vicky",),
    "Edward": ("Ed", "Ted"),
    "Charles": ("Charlie",),
    "Friedrich": ("Fritz",),
    "Stefanie": ("Steffi",),
    "Christina": ("Tina",),
    "Franziska": ("Franzi",),
    "Maximilian": ("Max",),
    "Josef": ("Sepp", "Joschi"),
    "Wolfgang": ("Wolf",),
    "Giuseppe": ("Beppe", "Peppe"),
    "Francesco": ("Franco", "Cecco"),
    "Giovanni": ("Gianni",),
    "Salvatore": ("Totò",),
    "José": ("Pepe",),
    "Francisco": ("Paco", "Pancho"),
    "Dolores": ("Lola",),
    "Ignacio": ("Nacho",),
    "Manuel": ("Manolo",),
    "Concepción": ("Concha",),
    "Guillaume": ("Guillou",),
    "Nicolas": ("Nico",),
    "Catherine": ("Cathy",),
    "Frédéric": ("Fred",),
    "Johanna": ("Hanna",),
    "Jacobus": ("Koos",),
    "Cornelis": ("Kees",),
    "Hendrik": ("Henk",),
    "Willem": ("Wim",),
    "Pieter": ("Piet",),
    "Franz": ("Franzl",),
    "Theresia": ("Resi",),
    "Magdalena": ("Lena",),
    "Hansruedi": ("Hansi",),
}

EMAIL_DOMAINS: dict[str, tuple[str, ...]] = {
    "DE": ("gmail.com", "web.de", "gmx.de", "t-online.de", "outlook.com", "yahoo.de"),
    "US": ("gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "icloud.com", "aol.com"),
    "GB": ("gmail.com", "hotmail.co.uk", "btinternet.com", "outlook.com", "yahoo.co.uk"),
    "FR": ("gmail.com", "orange.fr", "free.fr", "laposte.net", "hotmail.fr", "sfr.fr"),
    "CN": ("qq.com", "163.com", "126.com", "sina.com", "foxmail.com"),
    "JP": ("gmail.com", "yahoo.co.jp", "docomo.ne.jp", "icloud.com", "ezweb.ne.jp"),
    "ES": ("gmail.com", "hotmail.es", "yahoo.es", "telefonica.net", "outlook.es"),
    "IT": ("gmail.com", "libero.it", "virgilio.it", "alice.it", "hotmail.it"),
    "NL": ("gmail.com", "ziggo.nl", "kpnmail.nl", "hotmail.nl", "live.nl"),
    "CH": ("gmail.com", "bluewin.ch", "gmx.ch", "sunrise.ch", "hispeed.ch"),
    "AT": ("gmail.com", "gmx.at", "aon.at", "chello.at", "a1.net"),
    "KR": ("naver.com", "daum.net", "hanmail.net", "gmail.com", "kakao.com", "nate.com"),
    "BR": ("gmail.com", "hotmail.com", "uol.com.br", "bol.com.br", "yahoo.com.br", "outlook.com"),
}


# Top-level domain of a small business's own mail domain ('info@mueller-gmbh.de').
BUSINESS_TLD: dict[str, str] = {
    "DE": "de",
    "US": "com",
    "GB": "co.uk",
    "FR": "fr",
    "CN": "cn",
    "JP": "co.jp",
    "ES": "es",
    "IT": "it",
    "NL": "nl",
    "CH": "ch",
    "AT": "at",
    "KR": "co.kr",
    "BR": "com.br",
}
# How a household names its shared address: '{}' is the ASCII surname.
FAMILY_ADDRESS: dict[str, str] = {
    "DE": "familie.{}",
    "AT": "familie.{}",
    "CH": "familie.{}",
    "NL": "familie{}",
    "FR": "famille.{}",
    "ES": "familia.{}",
    "IT": "famiglia.{}",
    "BR": "familia.{}",
}
FAMILY_ADDRESS_DEFAULT = "{}.family"


@dataclass(frozen=True, slots=True)
class City:
    """A city, its postal-code patterns ('#' digit, '@' letter) and landline area code."""

    name: str
    weight: int
    postal_patterns: tuple[str, ...]
    area_code: str


def _city(name: str, weight: int, postal: str, area_code: str) -> City:
    return City(name, weight, tuple(postal.split("|")), area_code)


_VIENNA_DISTRICTS = "|".join(f"1{district:02d}0" for district in range(1, 24))

CITIES: dict[str, tuple[City, ...]] = {
    "DE": (
        _city("Berlin", 18, "10###|12###|13###", "30"),
        _city("Hamburg", 10, "20###|22###", "40"),
        _city("München", 9, "80###|81###", "89"),
        _city("Köln", 6, "50###|51###", "221"),
        _city("Frankfurt am Main", 5, "60###", "69"),
        _city("Stuttgart", 4, "70###", "711"),
        _city("Düsseldorf", 4, "40###", "211"),
        _city("Leipzig", 4, "04###", "341"),
        _city("Dresden", 3, "01###", "351"),
        _city("Nürnberg", 3, "90###", "911"),
        _city("Hannover", 3, "30###", "511"),
        _city("Bremen", 3, "28###", "421"),
        _city("Essen", 3, "45###", "201"),
        _city("Dortmund", 3, "44###", "231"),
        _city("Freiburg im Breisgau", 2, "79###", "761"),
    ),
    "US": (
        _city("New York", 16, "100##|101##|102##|104##|112##", "212"),
        _city("Los Angeles", 10, "900##", "213"),
        _city("Chicago", 7, "606##", "312"),
        _city("Houston", 6, "770##", "713"),
        _city("Phoenix", 4, "850##", "602"),
        _city("Philadelphia", 4, "191##", "215"),
        _city("San Antonio", 3, "782##", "210"),
        _city("San Diego", 3, "921##", "619"),
        _city("Dallas", 4, "752##", "214"),
        _city("San Francisco", 4, "941##", "415"),
        _city("Seattle", 4, "981##", "206"),
        _city("Boston", 4, "021##", "617"),
        _city("Denver", 3, "802##", "303"),
        _city("Atlanta", 4, "303##", "404"),
        _city("Miami", 4, "331##", "305"),
    ),
    "GB": (
        _city("London", 30, "SW1A #@@|EC1A #@@|N1 #@@|E2 #@@|W1D #@@|SE1 #@@|NW3 #@@", "20"),
        _city("Manchester", 8, "M1 #@@|M4 #@@|M14 #@@|M20 #@@", "161"),
        _city("Birmingham", 8, "B1 #@@|B5 #@@|B15 #@@|B29 #@@", "121"),
        _city("Leeds", 5, "LS1 #@@|LS6 #@@|LS17 #@@", "113"),
        _city("Glasgow", 5, "G1 #@@|G12 #@@|G41 #@@", "141"),
        _city("Liverpool", 4, "L1 #@@|L8 #@@|L18 #@@", "151"),
        _city("Bristol", 4, "BS1 #@@|BS6 #@@|BS16 #@@", "117"),
        _city("Edinburgh", 4, "EH1 #@@|EH3 #@@|EH10 #@@", "131"),
        _city("Newcastle upon Tyne", 3, "NE1 #@@|NE6 #@@", "191"),
    ),
    "FR": (
        _city("Paris", 25, "7500#|7501#", "1"),
        _city("Marseille", 8, "130##", "4"),
        _city("Lyon", 7, "6900#", "4"),
        _city("Toulouse", 5, "310##", "5"),
        _city("Nice", 4, "060##", "4"),
        _city("Nantes", 4, "440##", "2"),
        _city("Strasbourg", 3, "670##", "3"),
        _city("Bordeaux", 4, "330##", "5"),
        _city("Lille", 4, "590##", "3"),
        _city("Aix-en-Provence", 2, "13090|13100", "4"),
    ),
    "CN": (
        _city("北京市", 12, "100###|101###", "10"),
        _city("上海市", 12, "200###|201###", "21"),
        _city("广州市", 8, "510###", "20"),
        _city("深圳市", 8, "518###", "755"),
        _city("成都市", 6, "610###", "28"),
        _city("杭州市", 5, "310###", "571"),
        _city("武汉市", 5, "430###", "27"),
        _city("南京市", 4, "210###", "25"),
        _city("西安市", 4, "710###", "29"),
    ),
    "JP": (
        _city("東京都", 20, "100-####|150-####|160-####|170-####", "3"),
        _city("大阪市", 9, "530-####|540-####|550-####", "6"),
        _city("横浜市", 7, "220-####|231-####", "45"),
        _city("名古屋市", 6, "450-####|460-####", "52"),
        _city("札幌市", 4, "060-####|064-####", "11"),
        _city("福岡市", 4, "810-####|812-####", "92"),
        _city("京都市", 3, "600-####|604-####", "75"),
        _city("神戸市", 3, "650-####|651-####", "78"),
    ),
    "ES": (
        _city("Madrid", 14, "280##", "91"),
        _city("Barcelona", 12, "080##", "93"),
        _city("Valencia", 5, "460##", "96"),
        _city("Sevilla", 4, "410##", "95"),
        _city("Zaragoza", 3, "500##", "976"),
        _city("Málaga", 3, "290##", "952"),
        _city("Bilbao", 3, "480##", "94"),
        _city("A Coruña", 2, "150##", "981"),
    ),
    "IT": (
        _city("Roma", 12, "001##", "06"),
        _city("Milano", 12, "201##", "02"),
        _city("Napoli", 6, "801##", "081"),
        _city("Torino", 5, "101##", "011"),
        _city("Palermo", 3, "901##", "091"),
        _city("Genova", 3, "161##", "010"),
        _city("Bologna", 4, "401##", "051"),
        _city("Firenze", 4, "501##", "055"),
        _city("Forlì", 1, "4712#", "0543"),
    ),
    "NL": (
        _city("Amsterdam", 12, "10## @@", "20"),
        _city("Rotterdam", 9, "30## @@", "10"),
        _city("Den Haag", 7, "25## @@", "70"),
        _city("Utrecht", 6, "35## @@", "30"),
        _city("Eindhoven", 4, "56## @@", "40"),
        _city("Groningen", 3, "97## @@", "50"),
    ),
    "CH": (
        _city("Zürich", 10, "80##", "44"),
        _city("Genève", 7, "12##", "22"),
        _city("Basel", 5, "40##", "61"),
        _city("Bern", 5, "30##", "31"),
        _city("Lausanne", 4, "10##", "21"),
        _city("Luzern", 3, "60##", "41"),
        _city("Neuchâtel", 2, "200#", "32"),
    ),
    "AT": (
        _city("Wien", 20, _VIENNA_DISTRICTS, "1"),
        _city("Graz", 6, "80##", "316"),
        _city("Linz", 5, "40##", "732"),
        _city("Salzburg", 4, "50##", "662"),
        _city("Innsbruck", 3, "60##", "512"),
        _city("Klagenfurt am Wörthersee", 2, "90##", "463"),
    ),
    # Five-digit postcodes (2015 system); Seoul's run from 01000 to 08999.
    "KR": (
        _city("서울특별시", 20, "01###|02###|03###|04###|05###|06###|07###|08###", "2"),
        _city("부산광역시", 7, "46###|47###|48###|49###", "51"),
        _city("인천광역시", 6, "21###|22###|23###", "32"),
        _city("대구광역시", 5, "41###|42###|43###", "53"),
        _city("대전광역시", 3, "34###|35###", "42"),
        _city("광주광역시", 3, "61###|62###", "62"),
        _city("수원시", 3, "16###", "31"),
    ),
    # CEP '01310-100'. Area codes carry the first local digit: landlines start with 2–5.
    "BR": (
        _city("São Paulo", 20, "01###-###|02###-###|03###-###|04###-###|05###-###", "113"),
        _city("Rio de Janeiro", 12, "20###-###|21###-###|22###-###", "212"),
        _city("Belo Horizonte", 6, "30###-###|31###-###", "313"),
        _city("Brasília", 5, "70###-###|71###-###", "613"),
        _city("Salvador", 5, "40###-###|41###-###", "713"),
        _city("Fortaleza", 4, "60###-###", "853"),
        _city("Curitiba", 4, "80###-###|81###-###", "413"),
        _city("Recife", 4, "50###-###", "813"),
        _city("Porto Alegre", 4, "90###-###|91###-###", "513"),
    ),
}

STREETS: dict[str, tuple[str, ...]] = {
    "DE": (
        "Hauptstraße",
        "Bahnhofstraße",
        "Gartenweg",
        "Schillerstraße",
        "Goethestraße",
        "Lindenallee",
        "Am Markt",
        "Kirchgasse",
        "Dorfstraße",
        "Bergstraße",
        "Waldweg",
        "Mozartstraße",
        "Rosenweg",
        "Friedrichstraße",
        "Ringstraße",
        "Königsallee",
        "Jahnstraße",
        "Mühlenweg",
    ),
    "AT": (
        "Hauptstraße",
        "Bahnhofstraße",
        "Mariahilfer Straße",
        "Landstraßer Hauptstraße",
        "Kirchengasse",
        "Schulgasse",
        "Lindengasse",
        "Herrengasse",
        "Wiener Straße",
        "Grazer Straße",
        "Mozartgasse",
        "Annenstraße",
    ),
    "CH": (
        "Bahnhofstrasse",
        "Hauptstrasse",
        "Dorfstrasse",
        "Kirchweg",
        "Seestrasse",
        "Rue du Rhône",
        "Avenue de la Gare",
        "Schulhausstrasse",
        "Via Nassa",
        "Bergstrasse",
        "Rosenweg",
        "Zürichstrasse",
    ),
    "NL": (
        "Kerkstraat",
        "Dorpsstraat",
        "Schoolstraat",
        "Molenweg",
        "Stationsweg",
        "Prinsengracht",
        "Keizersgracht",
        "Julianalaan",
        "Beatrixstraat",
        "Wilhelminastraat",
        "Nieuwstraat",
        "Markt",
    ),
    "US": (
        "Main Street",
        "Oak Street",
        "Maple Avenue",
        "Cedar Lane",
        "Park Avenue",
        "Washington Street",
        "Elm Street",
        "Lake Drive",
        "Sunset Boulevard",
        "Pine Street",
        "Hillside Road",
        "Broadway",
        "Madison Avenue",
        "Martin Luther King Jr Boulevard",
        "Church Street",
        "2nd Street",
    ),
    "GB": (
        "High Street",
        "Station Road",
        "Church Lane",
        "Victoria Road",
        "Green Lane",
        "Manor Road",
        "Park Road",
        "Queen's Road",
        "King Street",
        "Mill Lane",
        "The Crescent",
        "St John's Road",
    ),
    "FR": (
        "rue de la République",
        "avenue Victor Hugo",
        "boulevard Saint-Michel",
        "place de l'Église",
        "rue Jean Jaurès",
        "rue de la Paix",
        "avenue des Champs-Élysées",
        "rue du Moulin",
        "chemin des Vignes",
        "allée des Tilleuls",
        "rue Pasteur",
        "boulevard Gambetta",
    ),
    "ES": (
        "Calle Mayor",
        "Avenida de la Constitución",
        "Calle Real",
        "Plaza de España",
        "Calle del Sol",
        "Paseo de la Castellana",
        "Calle de Alcalá",
        "Avenida Diagonal",
        "Calle San Juan",
        "Rambla de Catalunya",
    ),
    "IT": (
        "Via Roma",
        "Corso Vittorio Emanuele II",
        "Via Garibaldi",
        "Piazza del Duomo",
        "Via Mazzini",
        "Via Dante Alighieri",
        "Corso Italia",
        "Via Verdi",
        "Via della Libertà",
        "Viale dei Mille",
        "Via San Francesco d'Assisi",
    ),
    "CN": (
        "建国路",
        "人民路",
        "解放路",
        "中山路",
        "长安街",
        "南京路",
        "和平路",
        "新华路",
        "胜利路",
        "学院路",
        "朝阳路",
        "东风路",
    ),
    "JP": (
        "神南",
        "本町",
        "栄町",
        "中央",
        "緑町",
        "桜台",
        "旭町",
        "若葉",
        "青葉台",
        "東雲",
        "錦",
        "天神",
    ),
    # Road names (도로명 주소): the building number follows the road.
    "KR": (
        "중앙로",
        "시청로",
        "역전로",
        "번영로",
        "대학로",
        "문화로",
        "공원로",
        "평화로",
        "희망로",
        "산업로",
        "세종대로",
        "테헤란로",
    ),
    "BR": (
        "Rua Augusta",
        "Avenida Paulista",
        "Rua das Flores",
        "Rua XV de Novembro",
        "Avenida Brasil",
        "Rua São Bento",
        "Rua da Consolação",
        "Avenida Atlântica",
        "Rua Sete de Setembro",
        "Avenida Getúlio Vargas",
        "Rua Dom Pedro II",
        "Travessa do Comércio",
    ),
}

COMPANY_SUFFIXES: dict[str, tuple[str, ...]] = {
    "DE": ("GmbH", "AG", "GmbH & Co. KG", "e.K.", "UG (haftungsbeschränkt)"),
    "AT": ("GmbH", "AG", "KG", "OG"),
    "CH": ("AG", "GmbH", "SA", "Sàrl"),
    "US": ("Inc.", "LLC", "Corp.", "Co.", "Group"),
    "GB": ("Ltd", "Ltd.", "PLC", "LLP", "& Sons"),
    "FR": ("SARL", "SA", "SAS", "& Fils"),
    "ES": ("S.L.", "S.A.", "Hermanos S.L."),
    "IT": ("S.r.l.", "S.p.A.", "& Figli"),
    "NL": ("B.V.", "N.V.", "V.O.F."),
    "CN": ("有限公司", "科技有限公司", "贸易有限公司"),
    "JP": ("株式会社", "有限会社", "商事"),
    "KR": ("주식회사", "상사", "산업", "전자", "무역"),
    "BR": ("Ltda.", "S.A.", "Comércio Ltda.", "& Filhos"),
}
COMPANY_WORDS: tuple[str, ...] = (
    "Nordwind",
    "Alpine",
    "Blue River",
    "Sunrise",
    "Atlas",
    "Evergreen",
    "Keystone",
    "Lighthouse",
    "Northstar",
    "Silverline",
    "Summit",
    "Harbor",
)
