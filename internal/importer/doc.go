// Package importer owns `disclose import`'s reading: it takes a source
// document (paragraphs and tables with their places, from sourcedoc) and
// places its figures into a draft report — the money amounts of the prose
// by their words, the standard forms and tables by their headers — each
// value with the place and words it came from. It writes the draft as the
// report's YAML (provenance as line comments, what it could not place
// listed at the end), its narrative sections and a sidecar for the review
// page, and measures itself against hand transcriptions (Figures, Compare).
//
// Nothing is invented: a value is written only as the source prints it,
// and a figure whose place is not certain is listed, not placed.
//
// It may import model, sourcedoc, tables (the standard tables' profiles),
// yaml.v3 and the standard library; it writes no files itself.
//
// Layer 3 (see internal/arch): it imports model, sourcedoc and tables.
package importer
