"""Article texts of the replica: what each page must come out as (the labels of the corpus)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Story:
    """One article as its author wrote it: the expected extraction result."""

    key: str
    lang: str  # expected language; Norwegian gives "nb"/"nn" and accepts "no"
    slug: str
    title: str
    paragraphs: tuple[str, ...]
    tags: tuple[str, ...] = ()
    published: date | None = None
    modified: date | None = None
    ended: date | None = None
    # How the visible date line is written; None hides it (Finnish/Norwegian/Danish pages).
    date_text: str | None = None
    modified_text: str | None = None
    extra: dict = field(default_factory=dict)


SV = [
    Story(
        "sv-finland-mitt-hem", "sv", "projektet-finland-mitt-hem-fortsatter-2018-2020",
        "Projektet Finland — mitt hem fortsätter 2018—2020",
        (
            "Det har beslutats att projektet Finland — mitt hem får fortsatt finansiering under "
            "2018—2020. Centralt är nu att de bästa arbetsmodellerna som utvecklats inom projektet "
            "förankras i den integrationsfrämjande verksamheten på lokal, regional och nationell "
            "nivå. Samarbetet med arbets- och näringsministeriets kompetenscenter för integration "
            "av invandrare ska intensifieras ytterligare.",
            "De regionala koordinatorerna för projektet Finland — mitt hem fortsätter sitt arbete "
            "inom NTM-centralernas verksamhetsområden för invandringsfrågor. De ordnar evenemang "
            "för kompetensutveckling och nätverksbyggande, varav en del kan följas via "
            "webbsändning. De sprider också ny information och bästa praxis i integrationsfrågor.",
            "Pilotprojekten",
            "I början av 2018 pågår på olika håll i landet 25 pilotprojekt inom ramen för Finland "
            "— mitt hem. De projekt som fick finansiering vid den första utlysningen av "
            "projektunderstöd har arbetat i snart två år.",
            "Ytterligare upplysningar",
            "Ilona Korhonen, projektchef, arbets- och näringsministeriet, tfn 029 504 7000.",
        ),
        ("Migration & utveckling", "Bostad"), date(2018, 2, 12), date_text="12 feb 2018",
    ),
    Story(
        "sv-natverk-unga", "sv", "nytt-nordiskt-natverk-for-ensamkommande-unga",
        "Nytt nordiskt nätverk för ensamkommande unga",
        (
            "Nordens välfärdscenter startar ett nätverk för kommuner som tar emot ensamkommande "
            "unga. Nätverket ska göra det lättare att dela erfarenheter över gränserna och lära av "
            "varandras arbetssätt.",
            "Många av de unga som kom till Norden under 2015 och 2016 har nu fyllt arton år. Det "
            "ställer nya krav på stödet från socialtjänsten, skolan och civilsamhället när "
            "ungdomarna ska klara sig själva.",
            "Det första mötet hålls i Göteborg i september. Anmälan görs via kommunens "
            "kontaktperson senast den sista augusti.",
        ),
        ("Ensamkommande unga", "Sociala insatser"), date(2021, 7, 5), date(2021, 8, 20),
        date_text="5 jul 2021", modified_text="Uppdaterad 20 aug 2021",
    ),
    Story(
        "sv-sprakkafe", "sv", "sprakkafeer-hjalper-nyanlanda-till-arbete",
        "Språkkaféer hjälper nyanlända att komma in på arbetsmarknaden",
        (
            "I flera svenska kommuner har biblioteken börjat ordna språkkaféer där nyanlända kan "
            "öva svenska tillsammans med volontärer. Deltagarna berättar att samtalen gör det "
            "lättare att söka jobb och att förstå hur arbetsplatser fungerar.",
            "Projektet har pågått i tre år och följs nu upp av forskare vid Malmö universitet. "
            "De första resultaten visar att deltagarna oftare går vidare till praktik eller "
            "utbildning än jämförbara grupper.",
            "Erfarenheterna ska samlas i en handbok som blir fritt tillgänglig för alla kommuner "
            "i Norden under nästa år.",
        ),
        ("Arbete", "Utbildning"), date(2019, 10, 3), ended=date(2025, 6, 14),
        date_text="3 okt 2019",
    ),
    Story(
        "sv-ukraina", "sv", "ukrainska-flyktingar-i-norden-mottagandet",
        "Ukrainska flyktingar i Norden: vad vet vi om mottagandet?",
        (
            "En ny kartläggning jämför hur de nordiska länderna har tagit emot människor som "
            "flytt från kriget i Ukraina. Rapporten beskriver skillnader i boende, skolgång och "
            "tillgång till arbetsmarknaden.",
            "Enligt rapporten har kommunerna fått bära ett stort ansvar, ofta med kort varsel. "
            "Samarbetet med frivilligorganisationer lyfts fram som avgörande under de första "
            "månaderna.",
            "Rapporten presenteras vid ett webbinarium där forskare och tjänstepersoner från alla "
            "fem länder deltar.",
        ),
        ("Ukraina", "Integration"), date(2025, 11, 21), date_text="21 nov 2025",
    ),
    Story(
        "sv-dansk-brodtext", "da", "ny-rapport-om-integration-af-flygtninge",
        "Ny rapport om integration af flygtninge i Danmark",
        (
            "En ny rapport fra Rådet for Etniske Minoriteter viser, at flere flygtninge end "
            "tidligere er kommet i beskæftigelse inden for de første tre år. Rapporten bygger på "
            "data fra alle landets kommuner.",
            "Forfatterne peger på, at en tidlig indsats med sprogundervisning og praktik gør en "
            "stor forskel. Samtidig er der fortsat store forskelle mellem kommunerne.",
            "Rapporten kan hentes gratis på rådets hjemmeside, og den bliver drøftet på et møde "
            "for de nordiske ministre i efteråret.",
        ),
        ("Arbete",), date(2020, 3, 9), date_text="9 mar 2020",
    ),
]

EN = [
    Story(
        "en-finland-my-home", "en", "finland-my-home-project-continues",
        "Finland — My Home project continues 2018—2020",
        (
            "The Finland — My Home project has been granted continued funding for 2018—2020. The "
            "aim is now to anchor the best working models developed in the project in integration "
            "work at local, regional and national level.",
            "The regional coordinators of the project continue their work within the immigration "
            "services of the ELY Centres. They organise events for skills development and "
            "networking, some of which can be followed online.",
            "Further information",
            "Ilona Korhonen, project manager, Ministry of Economic Affairs and Employment.",
        ),
        ("Immigration & development", "Housing"), date(2018, 10, 31), date_text="31 Oct 2018",
    ),
    Story(
        "en-forum", "en", "new-nordic-forum-for-integration-experts",
        "New Nordic forum for integration experts",
        (
            "A new Nordic forum brings together experts who work with the integration of "
            "refugees and other immigrants. The forum will meet twice a year and publish short "
            "summaries of what it has learned.",
            "The first meeting will focus on how municipalities can support young people who "
            "arrived without their parents. Researchers from all five countries will present "
            "recent studies.",
            "The forum is open to civil servants, researchers and representatives of voluntary "
            "organisations.",
        ),
        ("Social work",), date(2021, 7, 5), date_text="5 Jul 2021",
    ),
    Story(
        "en-language-cafes", "en", "language-cafes-help-newcomers-into-work",
        "Language cafés help newcomers into work",
        (
            "Public libraries in several Swedish municipalities run language cafés where "
            "newcomers practise Swedish with volunteers. Participants say that the conversations "
            "make it easier to apply for jobs and to understand how workplaces function.",
            "Researchers at Malmö University are following the project. Early results show that "
            "participants more often move on to internships or education than comparable groups.",
            "A handbook based on the experience will be freely available to every Nordic "
            "municipality next year.",
        ),
        ("Work", "Education"), date(2019, 10, 3), date(2019, 11, 15), date_text="3 Oct 2019",
        modified_text="Updated 15 Nov 2019",
    ),
    Story(
        "en-ukraine", "en", "nordic-municipalities-lessons-ukraine",
        "Nordic municipalities share lessons on receiving refugees from Ukraine",
        (
            "A new survey compares how the Nordic countries received people fleeing the war in "
            "Ukraine. The report describes differences in housing, schooling and access to the "
            "labour market.",
            "Municipalities carried a heavy responsibility, often at short notice. Cooperation "
            "with voluntary organisations is highlighted as decisive during the first months.",
            "The report will be presented at a webinar with researchers and officials from all "
            "five countries.",
        ),
        ("Ukraine",), date(2025, 11, 21), date_text="21 Nov 2025",
    ),
]

FI = [
    Story(
        "fi-foorumi", "fi", "uusi-pohjoismainen-foorumi-kotoutumisen-asiantuntijoille-fi",
        "Uusi pohjoismainen foorumi kotoutumisen asiantuntijoille",
        (
            "Uusi pohjoismainen foorumi kokoaa yhteen asiantuntijat, jotka työskentelevät "
            "pakolaisten ja muiden maahanmuuttajien kotoutumisen parissa. Foorumi kokoontuu kaksi "
            "kertaa vuodessa.",
            "Ensimmäinen tapaaminen keskittyy siihen, miten kunnat voivat tukea ilman huoltajaa "
            "saapuneita nuoria. Tutkijat kaikista viidestä maasta esittelevät uusia tutkimuksia.",
            "Foorumi on avoin virkamiehille, tutkijoille ja järjestöjen edustajille.",
        ),
    ),
    Story(
        "fi-kotini", "fi", "suomi-minun-kotini-hanke-jatkuu-fi",
        "Kotoutumishanke jatkuu vuosina 2018–2020",
        (
            "Hankkeelle on myönnetty jatkorahoitus vuosille 2018–2020. Nyt on keskeistä, että "
            "hankkeessa kehitetyt parhaat toimintamallit juurrutetaan kotoutumista edistävään "
            "työhön paikallisella, alueellisella ja valtakunnallisella tasolla.",
            "Hankkeen alueelliset koordinaattorit jatkavat työtään ELY-keskusten "
            "maahanmuuttoasioiden toimialueilla. He järjestävät osaamisen kehittämisen ja "
            "verkostoitumisen tapahtumia.",
        ),
        ("Integration",), date(2018, 2, 12), date_text="12.2.2018",
    ),
    Story(
        "fi-kielikahvila", "fi", "kielikahvilat-auttavat-maahanmuuttajia-tyoelamaan-fi",
        "Kielikahvilat auttavat maahanmuuttajia työelämään",
        (
            "Useissa ruotsalaisissa kunnissa kirjastot järjestävät kielikahviloita, joissa "
            "vastatulleet voivat harjoitella ruotsia vapaaehtoisten kanssa. Osallistujien mukaan "
            "keskustelut helpottavat työnhakua.",
            "Malmön yliopiston tutkijat seuraavat hanketta. Ensimmäisten tulosten mukaan "
            "osallistujat siirtyvät useammin harjoitteluun tai koulutukseen kuin vertailuryhmät.",
            "Kokemuksista kootaan käsikirja, joka on ensi vuonna kaikkien pohjoismaisten kuntien "
            "vapaasti käytettävissä.",
        ),
    ),
    Story(
        "fi-ukraina", "fi", "ukrainasta-paenneiden-vastaanotto-pohjoismaissa-fi",
        "Ukrainasta paenneiden vastaanotto Pohjoismaissa",
        (
            "Uusi selvitys vertailee, miten Pohjoismaat ovat ottaneet vastaan Ukrainan sotaa "
            "paenneita ihmisiä. Raportti kuvaa eroja asumisessa, koulunkäynnissä ja pääsyssä "
            "työmarkkinoille.",
            "Raportin mukaan kunnat ovat kantaneet suuren vastuun, usein lyhyellä varoitusajalla. "
            "Yhteistyö vapaaehtoisjärjestöjen kanssa oli ratkaisevaa ensimmäisinä kuukausina.",
        ),
        ("Ukraina",), date(2025, 11, 21), date_text="21.11.2025",
    ),
]

NO = [
    Story(
        "no-forum", "nb", "nytt-nordisk-forum-for-eksperter-no",
        "Nytt nordisk forum for eksperter på integrering",
        (
            "Et nytt nordisk forum samler eksperter som arbeider med integrering av flyktninger og "
            "andre innvandrere. Forumet skal møtes to ganger i året og publisere korte "
            "oppsummeringer av det de har lært.",
            "Det første møtet handler om hvordan kommunene kan støtte unge som har kommet uten "
            "foreldrene sine. Forskere fra alle de fem landene legger fram nye undersøkelser.",
            "Forumet er åpent for ansatte i forvaltningen, forskere og representanter for "
            "frivillige organisasjoner.",
        ),
    ),
    Story(
        "no-sprakkafe", "nb", "sprakkafeer-hjelper-nyankomne-ut-i-arbeid-no",
        "Språkkafeer hjelper nyankomne ut i arbeid",
        (
            "Bibliotekene i flere svenske kommuner arrangerer språkkafeer der nyankomne kan øve "
            "seg på svensk sammen med frivillige. Deltakerne forteller at samtalene gjør det "
            "lettere å søke jobb.",
            "Forskere ved Universitetet i Malmö følger prosjektet. De første resultatene viser at "
            "deltakerne oftere går videre til praksisplass eller utdanning enn sammenlignbare "
            "grupper.",
        ),
        ("Arbete",), date(2018, 2, 12), date_text="12. februar 2018",
    ),
    Story(
        "no-nynorsk", "nn", "nytt-nettverk-for-einslege-mindrearige-no",
        "Nytt nettverk for einslege mindreårige",
        (
            "Nordens velferdssenter startar eit nettverk for kommunar som tek imot einslege "
            "mindreårige. Nettverket skal gjere det lettare å dele erfaringar over grensene og "
            "lære av kvarandre sine arbeidsmåtar.",
            "Mange av dei unge som kom til Norden i 2015 og 2016, har no fylt atten år. Det stiller "
            "nye krav til støtta frå barnevernet, skulen og frivillige lag når ungdommane skal "
            "klare seg sjølve.",
        ),
    ),
    Story(
        "no-ukraina", "nb", "mottak-av-flyktninger-fra-ukraina-no",
        "Mottak av flyktninger fra Ukraina i Norden",
        (
            "En ny kartlegging sammenligner hvordan de nordiske landene har tatt imot mennesker "
            "som har flyktet fra krigen i Ukraina. Rapporten beskriver forskjeller i bolig, "
            "skolegang og tilgang til arbeidsmarkedet.",
            "Ifølge rapporten har kommunene båret et stort ansvar, ofte på kort varsel. Samarbeidet "
            "med frivillige organisasjoner trekkes fram som avgjørende de første månedene.",
        ),
    ),
]

DA = [
    Story(
        "da-forum", "da", "nyt-nordisk-forum-for-eksperter-da",
        "Nyt nordisk forum for eksperter i integration",
        (
            "Et nyt nordisk forum samler eksperter, der arbejder med integration af flygtninge og "
            "andre indvandrere. Forummet mødes to gange om året og udgiver korte opsamlinger af, "
            "hvad det har lært.",
            "Det første møde handler om, hvordan kommunerne kan støtte unge, der er kommet uden "
            "deres forældre. Forskere fra alle fem lande fremlægger nye undersøgelser.",
            "Forummet er åbent for ansatte i forvaltningen, forskere og repræsentanter for "
            "frivillige foreninger.",
        ),
    ),
    Story(
        "da-sprogcafe", "da", "sprogcafeer-hjaelper-nyankomne-i-arbejde-da",
        "Sprogcaféer hjælper nyankomne i arbejde",
        (
            "Bibliotekerne i flere svenske kommuner holder sprogcaféer, hvor nyankomne kan øve sig "
            "i svensk sammen med frivillige. Deltagerne fortæller, at samtalerne gør det lettere at "
            "søge job.",
            "Forskere ved Malmø Universitet følger projektet. De første resultater viser, at "
            "deltagerne oftere går videre til praktik eller uddannelse end sammenlignelige "
            "grupper.",
        ),
        ("Arbete", "Utbildning"), date(2021, 7, 5), date_text="5. juli 2021",
    ),
    Story(
        "da-unge", "da", "unge-flygtninge-uden-foraeldre-far-ny-hjaelp-da",
        "Unge flygtninge uden forældre får ny hjælp",
        (
            "Nordens Velfærdscenter starter et netværk for kommuner, der modtager uledsagede "
            "mindreårige. Netværket skal gøre det nemmere at dele erfaringer på tværs af "
            "grænserne.",
            "Mange af de unge, der kom til Norden i 2015 og 2016, er nu fyldt atten år. Det stiller "
            "nye krav til støtten fra kommunen, skolen og civilsamfundet.",
        ),
    ),
    Story(
        "da-ukraine", "da", "modtagelse-af-flygtninge-fra-ukraine-da",
        "Modtagelse af flygtninge fra Ukraine i Norden",
        (
            "En ny kortlægning sammenligner, hvordan de nordiske lande har taget imod mennesker, "
            "der er flygtet fra krigen i Ukraine. Rapporten beskriver forskelle i bolig, skolegang "
            "og adgang til arbejdsmarkedet.",
            "Ifølge rapporten har kommunerne båret et stort ansvar, ofte med kort varsel. "
            "Samarbejdet med de frivillige organisationer fremhæves som afgørende.",
        ),
    ),
]

IS = [
    Story(
        "is-vettvangur", "is", "nyr-norraenn-vettvangur-fyrir-serfraedinga-is",
        "Nýr norrænn vettvangur fyrir sérfræðinga í inngildingu",
        (
            "Nýr norrænn vettvangur sameinar sérfræðinga sem vinna að inngildingu flóttafólks og "
            "annarra innflytjenda. Vettvangurinn kemur saman tvisvar á ári og birtir stuttar "
            "samantektir um það sem hann hefur lært.",
            "Fyrsti fundurinn fjallar um hvernig sveitarfélög geta stutt ungmenni sem komu án "
            "foreldra sinna. Rannsakendur frá öllum fimm löndunum kynna nýjar rannsóknir.",
        ),
        ("Integration",), date(2018, 2, 12), date_text="12. febrúar 2018",
    ),
    Story(
        "is-tungumalakaffi", "is", "tungumalakaffi-hjalpar-innflytjendum-is",
        "Tungumálakaffi hjálpar innflytjendum á vinnumarkaðinn",
        (
            "Bókasöfn í nokkrum sænskum sveitarfélögum halda tungumálakaffi þar sem nýkomnir "
            "innflytjendur geta æft sænsku með sjálfboðaliðum. Þátttakendur segja að samtölin "
            "auðveldi þeim að sækja um vinnu.",
            "Rannsakendur við Háskólann í Malmö fylgjast með verkefninu. Fyrstu niðurstöður sýna að "
            "þátttakendur fara oftar í starfsnám eða nám en sambærilegir hópar.",
        ),
    ),
    Story(
        "is-ukraina", "is", "mottaka-flottafolks-fra-ukrainu-is",
        "Móttaka flóttafólks frá Úkraínu á Norðurlöndum",
        (
            "Ný könnun ber saman hvernig Norðurlöndin hafa tekið á móti fólki sem flúði stríðið í "
            "Úkraínu. Skýrslan lýsir mismun á húsnæði, skólagöngu og aðgengi að vinnumarkaði.",
            "Samkvæmt skýrslunni hafa sveitarfélögin borið mikla ábyrgð, oft með skömmum fyrirvara. "
            "Samstarf við frjáls félagasamtök reyndist afgerandi fyrstu mánuðina.",
        ),
        ("Ukraina",), date(2025, 11, 21), date_text="21. nóv 2025",
    ),
    Story(
        "is-ungmenni", "is", "nytt-net-fyrir-fylgdarlaus-ungmenni-is",
        "Nýtt tengslanet fyrir fylgdarlaus ungmenni",
        (
            "Norræna velferðarmiðstöðin stofnar tengslanet fyrir sveitarfélög sem taka á móti "
            "fylgdarlausum ungmennum. Tengslanetið á að auðvelda sveitarfélögunum að deila "
            "reynslu sinni.",
            "Mörg þeirra ungmenna sem komu til Norðurlanda árin 2015 og 2016 eru nú orðin átján "
            "ára. Það gerir nýjar kröfur til stuðnings félagsþjónustu, skóla og félagasamtaka.",
        ),
    ),
]

STORIES: list[Story] = SV + EN + FI + NO + DA + IS
BY_KEY = {story.key: story for story in STORIES}

#: Headlines not used in any page, for the language-id test set.
EXTRA_HEADLINES: dict[str, tuple[str, ...]] = {
    "sv": ("Fler kvinnor i arbete efter etableringsprogrammet",
           "Så arbetar kommunerna med samhällsorientering",
           "Ny handbok om mottagande av ensamkommande barn"),
    "en": ("More women in work after the introduction programme",
           "How municipalities teach civic orientation",
           "New handbook on receiving unaccompanied children"),
    "fi": ("Yhä useampi nainen työllistyy kotoutumisohjelman jälkeen",
           "Näin kunnat järjestävät yhteiskuntaorientaation",
           "Uusi käsikirja ilman huoltajaa tulleiden lasten vastaanotosta"),
    "nb": ("Flere kvinner i arbeid etter introduksjonsprogrammet",
           "Slik jobber kommunene med samfunnskunnskap",
           "Ny håndbok om mottak av enslige mindreårige barn"),
    "nn": ("Fleire kvinner i arbeid etter introduksjonsprogrammet",
           "Slik arbeider kommunane med samfunnskunnskap",
           "Ny handbok om mottak av einslege mindreårige born"),
    "da": ("Flere kvinder i arbejde efter integrationsprogrammet",
           "Sådan arbejder kommunerne med samfundsforståelse",
           "Ny håndbog om modtagelse af uledsagede børn"),
    "is": ("Fleiri konur í vinnu eftir aðlögunarnámið",
           "Svona vinna sveitarfélögin með samfélagsfræðslu",
           "Ný handbók um móttöku fylgdarlausra barna"),
}

#: Paragraphs not used in any page, for the language-id test set.
EXTRA_PARAGRAPHS: dict[str, tuple[str, ...]] = {
    "nn": (
        "Kommunane i Vestland har i fleire år samarbeidd om busetjing av flyktningar. No vil "
        "dei dele det dei har lært med resten av landet gjennom ein ny rettleiar.",
        "Rapporten viser at dei som fekk tilbod om arbeidspraksis tidleg, oftare kom i fast "
        "arbeid. Det gjeld særleg for kvinner som ikkje hadde utdanning frå heimlandet.",
        "Forskarane meiner at språkopplæringa bør knytast tettare til arbeidslivet, slik at "
        "deltakarane kan bruke det dei lærer i kvardagen.",
    ),
    "sv": (
        "Enligt den nya lagen ska kommunerna erbjuda samhällsorientering på modersmålet inom "
        "ett år efter folkbokföringen.",
    ),
    "da": (
        "Ifølge den nye lov skal kommunerne tilbyde kurser i samfundsforståelse på modersmålet "
        "inden for det første år efter ankomsten.",
    ),
    "is": (
        "Samkvæmt nýju lögunum eiga sveitarfélögin að bjóða upp á samfélagsfræðslu á móðurmáli "
        "innan árs frá komu til landsins.",
    ),
    "fi": (
        "Uuden lain mukaan kuntien on tarjottava yhteiskuntaorientaatiota äidinkielellä vuoden "
        "kuluessa maahan saapumisesta.",
    ),
    "nb": (
        "Ifølge den nye loven skal kommunene tilby samfunnskunnskap på morsmålet innen ett år "
        "etter bosettingen.",
    ),
    "en": (
        "Under the new law, municipalities must offer civic orientation in the mother tongue "
        "within one year of arrival.",
    ),
}
