package importer

import "sort"

// Score compares an import with a hand transcription of the same document.
type Score struct {
	Hand     int // amounts in the hand transcription
	Imported int // amounts the import placed
	Right    int // imported at the hand transcription's place with its text
	Wrong    []string
	Missed   []string
	Extra    []string // placed where the hand transcription has nothing
}

// Recall is the share of the hand-transcribed amounts the import got right.
func (s Score) Recall() float64 {
	if s.Hand == 0 {
		return 1
	}
	return float64(s.Right) / float64(s.Hand)
}

// Precision is the share of the imported amounts that are right, among those
// the hand transcription has a place for; amounts placed where it has none
// are counted apart (Extra), to be read by a person.
func (s Score) Precision() float64 {
	if s.Right+len(s.Wrong) == 0 {
		return 1
	}
	return float64(s.Right) / float64(s.Right+len(s.Wrong))
}

// Compare scores imported figures against hand-transcribed ones.
func Compare(hand, imported []Figure) Score {
	want := map[string]string{}
	for _, f := range hand {
		want[f.Path] = f.Text
	}
	got := map[string]string{}
	s := Score{Hand: len(hand), Imported: len(imported)}
	for _, f := range imported {
		got[f.Path] = f.Text
		w, ok := want[f.Path]
		switch {
		case !ok:
			s.Extra = append(s.Extra, f.Path+" = "+f.Text)
		case w == f.Text:
			s.Right++
		default:
			s.Wrong = append(s.Wrong, f.Path+" = "+f.Text+"（手工转录为 "+w+"）")
		}
	}
	for _, f := range hand {
		if g, ok := got[f.Path]; !ok || g != f.Text {
			s.Missed = append(s.Missed, f.Path+" = "+f.Text)
		}
	}
	sort.Strings(s.Extra)
	return s
}
