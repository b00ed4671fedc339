package index

import (
	"strings"

	porterstemmer "github.com/blevesearch/go-porterstemmer"
)

// British and American spelling (americanSpelling).
//
// The English news we index comes from both sides of the Atlantic: the BBC
// writes defence, programme, criticised and hospitalised, Reuters defense,
// program, criticized and hospitalized. Porter's algorithm, written for
// American English, gives the two spellings of most such words different
// stems (criticis and critic, defenc and defens, colour and color), so a
// search found only the articles of the reader's own spelling: 183 of the
// news corpora's articles for criticised against 442 for criticized.
// Cranfield, a British collection, mixes them too (behaviour 51 times,
// behavior 75).
//
// A British spelling is stemmed as its American one. The words are listed,
// not guessed by rule: advise, promise, enterprise, exercise and surprise
// are -ise on both sides, and a rule that turned them into -ize would split
// advise from advisory. Words whose spellings mean different things in the
// other country are left alone: labour (the Labour Party), grey (Gray, a
// surname), tyre and tire, cheque and check, storey and story, kerb and
// curb, draught and draft.

// ukIseStems are the stems of verbs written -ise in British English and
// -ize in American, and of their nouns (-isation) and agents (-iser): each
// is found in both spellings in the English corpora, or is common in news.
var ukIseStems = strings.Fields(`
	agon amort annual antagon apolog author bapt brutal capital categor
	central character civil collateral colon commercial computer critic
	custom decentral demilitar demobil democrat demoral destabil digit
	dramat econom emphas energ equal familiar fantas fertil final formal
	fossil galvan general global harmon homogen hospital human hybrid
	hypothes ideal immobil immun incentiv industrial institutional internal
	international item jeopard legal legitim liberal linear local magnet
	marginal material maxim mechan memor mesmer metabol militar minim
	miniatur mobil modern monet monopol moral motor national natural neutral
	normal optim organ ostrac oxid patron penal personal plagiar polar
	politic popular pressur priorit privat public radical random rational
	real recapital recogn regular reorgan revital revolution romantic sanit
	scandal scrutin secular securit sensational sensit sexual social
	solemn special stabil standard steril stigmat strateg subsid summar
	symbol sympath synchron synthes tantal terror theor trivial tyrann
	unauthor underutil union unpressur unreal urban util vandal vapor
	victim visual vocal weapon western
`)

// Each -ise stem's words, in either spelling, stem to the stem and "iz"
// (privatiz), not as Porter stems the American ones (izeStems): Porter
// strips -ize to a common word of another meaning, privatization to
// privat (private), nationalize to nation, industrialized to industri,
// finalize to final, capitalize to capit, publicize to public, and the
// British spellings, stemmed as the American ones, then found every
// article with that word (industrialised 86 -> 2,977 articles on the news
// corpora, capitalise 60 -> 1,583, specialised 38 -> 702).

// ukIseEndings pair the endings of an -ise word's forms with the American
// ones.
var ukIseEndings = [][2]string{
	{"ise", "ize"}, {"ised", "ized"}, {"ises", "izes"}, {"ising", "izing"},
	{"isation", "ization"}, {"isations", "izations"}, {"isational", "izational"},
	{"iser", "izer"}, {"isers", "izers"}, {"isable", "izable"},
}

// ukYseStems are the -yse verbs (analyse, analyze). Analyses is also the
// plural of analysis, on both sides; Porter gave it the British verb's stem
// before, and it keeps it, now the American one too.
var ukYseStems = strings.Fields(`anal catal dial electrol hydrol paral`)

var ukYseEndings = [][2]string{
	{"yse", "yze"}, {"ysed", "yzed"}, {"yses", "yzes"}, {"ysing", "yzing"}, {"yser", "yzer"}, {"ysers", "yzers"},
}

// ukOurStems are the nouns written -our in British English and -or in
// American (colour, color), with the words made from them.
var ukOurStems = strings.Fields(`
	ard arm behavi cand clam col demean endeav fav ferv flav glam harb hon hum
	misdemean neighb od parl ranc rig rum savi sav splend tum val vap vig
`)

var ukOurEndings = [][2]string{
	{"our", "or"}, {"ours", "ors"}, {"oured", "ored"}, {"ouring", "oring"},
	{"ourable", "orable"}, {"ourably", "orably"}, {"ourful", "orful"},
	{"ourite", "orite"}, {"ourites", "orites"}, {"ouritism", "oritism"},
	{"oural", "oral"}, {"ourally", "orally"}, {"ourhood", "orhood"},
	{"ourhoods", "orhoods"}, {"ourless", "orless"}, {"oury", "ory"},
	{"ourer", "orer"}, {"ourers", "orers"},
}

// ukWords are the other British spellings, by their American ones.
var ukWords = map[string]string{
	// -re
	"centre": "center", "centres": "centers", "centred": "centered", "centring": "centering",
	"theatre": "theater", "theatres": "theaters", "metre": "meter", "metres": "meters",
	"kilometre": "kilometer", "kilometres": "kilometers", "centimetre": "centimeter",
	"centimetres": "centimeters", "millimetre": "millimeter", "millimetres": "millimeters",
	"litre": "liter", "litres": "liters", "fibre": "fiber", "fibres": "fibers",
	"calibre": "caliber", "sombre": "somber", "spectre": "specter", "meagre": "meager",
	"lustre": "luster", "sabre": "saber", "sceptre": "scepter",
	"manoeuvre": "maneuver", "manoeuvres": "maneuvers", "manoeuvred": "maneuvered",
	"manoeuvring": "maneuvering",
	// -ence
	"defence": "defense", "defences": "defenses", "defenceless": "defenseless",
	"offence": "offense", "offences": "offenses", "licence": "license", "licences": "licenses",
	"pretence": "pretense",
	// -ogue
	"catalogue": "catalog", "catalogues": "catalogs", "catalogued": "cataloged", "cataloguing": "cataloging",
	"analogue": "analog", "analogues": "analogs",
	// ae, oe
	"paediatric": "pediatric", "paediatrics": "pediatrics", "paediatrician": "pediatrician",
	"paediatricians": "pediatricians", "haemorrhage": "hemorrhage", "haemorrhages": "hemorrhages",
	"anaemia": "anemia", "anaemic": "anemic", "anaesthetic": "anesthetic",
	"anaesthetics": "anesthetics", "anaesthesia": "anesthesia", "anaesthetist": "anesthetist",
	"oestrogen": "estrogen", "foetus": "fetus", "foetuses": "fetuses", "foetal": "fetal",
	"diarrhoea": "diarrhea", "leukaemia": "leukemia", "haemoglobin": "hemoglobin",
	"haemophilia": "hemophilia", "orthopaedic": "orthopedic", "encyclopaedia": "encyclopedia",
	"gynaecology": "gynecology", "gynaecologist": "gynecologist", "oesophagus": "esophagus",
	// -ll-
	"fuelled": "fueled", "fuelling": "fueling", "counsellor": "counselor",
	"counsellors": "counselors", "jewellery": "jewelry", "skilful": "skillful",
	"skilfully": "skillfully", "wilful": "willful", "wilfully": "willfully", "woollen": "woolen",
	// others
	"programme": "program", "programmes": "programs",
	"sceptic": "skeptic", "sceptics": "skeptics", "sceptical": "skeptical",
	"sceptically": "skeptically", "scepticism": "skepticism",
	"judgement": "judgment", "judgements": "judgments",
	"acknowledgement": "acknowledgment", "acknowledgements": "acknowledgments",
	"aluminium": "aluminum", "mould": "mold", "moulds": "molds", "mouldy": "moldy",
	"moulded": "molded", "moulding": "molding", "mouldings": "moldings",
	"plough": "plow", "ploughs": "plows", "ploughed": "plowed", "ploughing": "plowing",
	"practise": "practice", "practised": "practiced", "practises": "practices",
	"practising": "practicing", "pyjamas": "pajamas", "moustache": "mustache",
	"sulphur": "sulfur", "sulphuric": "sulfuric", "sulphate": "sulfate", "sulphates": "sulfates",
	"sulphide": "sulfide", "artefact": "artifact", "artefacts": "artifacts",
	"speciality": "specialty", "specialities": "specialties",
	"enquiry": "inquiry", "enquiries": "inquiries", "enquire": "inquire", "enquired": "inquired",
	"enquires": "inquires", "enquiring": "inquiring", "enquirer": "inquirer", "enquirers": "inquirers",
	"aeroplane": "airplane", "aeroplanes": "airplanes", "jeweller": "jeweler", "jewellers": "jewelers",
	"archaeology": "archeology", "archaeological": "archeological", "archaeologist": "archeologist",
	"archaeologists": "archeologists", "sizeable": "sizable", "centrepiece": "centerpiece",
	"tranquilliser": "tranquilizer", "tranquillisers": "tranquilizers",
}

// americanSpellings maps each British spelling above to its American one.
// Only init needs it: porterExceptions keeps each one's stem.
func americanSpellings() map[string]string {
	m := make(map[string]string, len(ukWords)+len(ukIseStems)*len(ukIseEndings)+len(ukOurStems)*len(ukOurEndings))
	for uk, us := range ukWords {
		m[uk] = us
	}
	add := func(stems []string, endings [][2]string) {
		for _, s := range stems {
			for _, e := range endings {
				m[s+e[0]] = s + e[1]
			}
		}
	}
	add(ukIseStems, ukIseEndings)
	add(ukYseStems, ukYseEndings)
	add(ukOurStems, ukOurEndings)
	return m
}

// izePorter are the -ise stems whose words keep Porter's stems, as their
// families mean one thing: linearized and linear, stabilization and
// stability, idealized and ideal, minimize and minimum, maximize and
// maximum. On Cranfield, giving them stems of their own cost MAP 0.3176 ->
// 0.3157 and nDCG@10 0.3868 -> 0.3844.
var izePorter = map[string]bool{"linear": true, "stabil": true, "ideal": true, "minim": true, "maxim": true}

// izeStems gives the American -ize words of ukIseStems their stems in
// porterExceptions, which the British ones reach through
// americanSpellings.
func init() {
	for _, stem := range ukIseStems {
		if izePorter[stem] {
			continue
		}
		for _, e := range ukIseEndings {
			porterExceptions[stem+e[1]] = stem + "iz"
		}
	}
	for _, words := range [][]string{
		// Porter's stems would join defensive, offensive, practical,
		// and will and willing. The first word is the stem.
		{"defense", "defenses"}, {"offense", "offenses"},
		{"practice", "practices", "practiced", "practicing"},
		{"willful", "willfully"},
		// Criticism is what criticize does; critical and critic are not.
		{"criticiz", "criticism", "criticisms"},
	} {
		for _, w := range words {
			porterExceptions[w] = words[0]
		}
	}
	// Each British spelling gets the American one's stem here, so that
	// stemming a word costs one look-up, as before.
	for uk, us := range americanSpellings() {
		if _, ok := porterExceptions[uk]; ok {
			continue // organisation: its own entry
		}
		stem, ok := porterExceptions[us]
		if !ok {
			stem = string(porterstemmer.StemWithoutLowerCasing([]rune(us)))
		}
		porterExceptions[uk] = stem
	}
}
