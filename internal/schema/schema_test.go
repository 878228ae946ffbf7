package schema

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"disclose/internal/model"
)

var update = flag.Bool("update", false, "rewrite content/_schema/*.schema.json from the model")

// moduleRoot is the module root as seen from this package's directory.
const moduleRoot = "../.."

// TestGolden keeps content/_schema in step with the model: the committed
// files must be exactly what the generator produces now.
func TestGolden(t *testing.T) {
	dir := filepath.Join(moduleRoot, filepath.FromSlash(Dir))
	if *update {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, kind := range Kinds {
		t.Run(kind, func(t *testing.T) {
			got, err := Generate(kind)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(dir, FileName(kind))
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run: go test ./internal/schema -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s is out of date with internal/model (run: go test ./internal/schema -update)\n%s",
					path, firstDiff(want, got))
			}
		})
	}
}

func firstDiff(want, got []byte) string {
	w := strings.Split(string(want), "\n")
	g := strings.Split(string(got), "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			return "first difference at line " + strconv.Itoa(i+1) + ":\n file:      " + a + "\n generated: " + b
		}
	}
	return "files differ"
}

func TestAPI(t *testing.T) {
	all := All()
	if len(all) != 3 {
		t.Fatalf("All() has %d files, want 3", len(all))
	}
	for _, c := range []struct {
		file string
		fn   func() ([]byte, error)
	}{
		{"site.schema.json", Site},
		{"department.schema.json", Department},
		{"report.schema.json", Report},
	} {
		b, err := c.fn()
		if err != nil {
			t.Fatalf("%s: %v", c.file, err)
		}
		if !bytes.Equal(b, all[c.file]) {
			t.Errorf("%s: All() and the kind's function disagree", c.file)
		}
		again, _ := c.fn()
		if !bytes.Equal(b, again) {
			t.Errorf("%s: output is not deterministic", c.file)
		}
		if !bytes.HasSuffix(b, []byte("}\n")) || bytes.HasSuffix(b, []byte("\n\n")) {
			t.Errorf("%s: want exactly one trailing newline", c.file)
		}
		if !bytes.HasPrefix(b, []byte("{\n  \"$schema\": \""+Draft+"\",\n  \"$id\": \"")) {
			t.Errorf("%s: want two-space indentation starting with $schema and $id", c.file)
		}
		if bytes.Contains(b, []byte(`\u003c`)) {
			t.Errorf("%s: HTML-escaped output", c.file)
		}
	}
	if _, err := Generate("reports"); err == nil {
		t.Error("Generate of an unknown kind: want an error")
	}
}

// Types the generator must refuse, and a few it must accept.
type (
	plainName string // a named string type without Values(): not an Enum
	intEnum   int
	noKeys    struct{ A string }
	inner     struct {
		X string `yaml:"x" doc:"x"`
	}
)

func (intEnum) Values() []string { return []string{"a"} }

// ptrEnum has Values on the pointer only, which the loader does not see.
type ptrEnum string

func (*ptrEnum) Values() []string { return []string{"a"} }

type (
	withFloat struct {
		F float64 `yaml:"f" doc:"d"`
	}
	withInt64 struct {
		F int64 `yaml:"f" doc:"d"`
	}
	withMap struct {
		F map[string]string `yaml:"f" doc:"d"`
	}
	withAny struct {
		F any `yaml:"f" doc:"d"`
	}
	withNamedStr struct {
		F plainName `yaml:"f" doc:"d"`
	}
	withIntEnum struct {
		F intEnum `yaml:"f" doc:"d"`
	}
	withNested struct {
		F [][]string `yaml:"f" doc:"d"`
	}
	withPtrPtr struct {
		F **int `yaml:"f" doc:"d"`
	}
	withAnonymous struct {
		F struct {
			X string `yaml:"x" doc:"x"`
		} `yaml:"f" doc:"d"`
	}
	withNoKeys struct {
		F *noKeys `yaml:"f" doc:"d"`
	}
	withNoDoc struct {
		F string `yaml:"f"`
	}
	withBadReq struct {
		F string `yaml:"f" req:"yes" doc:"d"`
	}
	withDupKey struct {
		F string `yaml:"f" doc:"d"`
		G string `yaml:"f" doc:"d"`
	}
	withDocNoKey struct {
		F string `doc:"d"`
	}
	withInline struct {
		inner `yaml:",inline" doc:"d"`
	}
	withOmitEmpty struct {
		F string `yaml:"f,omitempty" doc:"d"`
	}
	withPtrEnum struct {
		F ptrEnum `yaml:"f" doc:"d"`
	}
	withBadEx struct {
		F int `yaml:"f" doc:"d" ex:"twelve"`
	}
	withDocSkipped struct {
		F string `yaml:"-" doc:"d"`
	}
	emptyRoot struct{ F string }
)

func genFor(root reflect.Type) error {
	g := &generator{root: root, defs: newObject(), owner: map[string]reflect.Type{}}
	_, err := g.structSchema(root, root.Name())
	return err
}

func TestGeneratorRefusesUnknownTypes(t *testing.T) {
	for _, c := range []struct {
		typ  reflect.Type
		want string // part of the error
	}{
		{reflect.TypeFor[withFloat](), "float64"},
		{reflect.TypeFor[withInt64](), "int64"},
		{reflect.TypeFor[withMap](), "map[string]string"},
		{reflect.TypeFor[withAny](), "interface"},
		{reflect.TypeFor[withNamedStr](), "plainName"},
		{reflect.TypeFor[withIntEnum](), "must be a string type"},
		{reflect.TypeFor[withNested](), "[][]string"},
		{reflect.TypeFor[withPtrPtr](), "*int"},
		{reflect.TypeFor[withAnonymous](), "struct {"},
		{reflect.TypeFor[withNoKeys](), "has no yaml keys"},
		{reflect.TypeFor[withNoDoc](), "no doc tag"},
		{reflect.TypeFor[withBadReq](), "req tag"},
		{reflect.TypeFor[withDupKey](), "used twice"},
		{reflect.TypeFor[withDocNoKey](), "no yaml key"},
		{reflect.TypeFor[withInline](), "options are not supported"},
		{reflect.TypeFor[withOmitEmpty](), "options are not supported"},
		{reflect.TypeFor[withPtrEnum](), "ptrEnum"},
		{reflect.TypeFor[withBadEx](), "not an integer"},
		{reflect.TypeFor[withDocSkipped](), "no yaml key"},
		{reflect.TypeFor[emptyRoot](), "has no yaml keys"},
	} {
		t.Run(c.typ.Name(), func(t *testing.T) {
			err := genFor(c.typ)
			if err == nil {
				t.Fatalf("generating %v: want an error", c.typ)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q does not mention %q", err, c.want)
			}
		})
	}
}

func TestGeneratorAccepts(t *testing.T) {
	type ok struct {
		S string        `yaml:"s" req:"true" doc:"d" ex:"x"`
		I *int          `yaml:"i" doc:"d" ex:"3"`
		E model.Level   `yaml:"e" doc:"d"`
		L []string      `yaml:"l" doc:"d"`
		N []*inner      `yaml:"n" doc:"d"`
		A *model.Amount `yaml:"a" doc:"d" ex:"1.5"`
		D model.Date    `yaml:"dt" doc:"d"`
		P model.Pos     `yaml:"-"`
		X map[string]int
	}
	if err := genFor(reflect.TypeFor[ok]()); err != nil {
		t.Fatal(err)
	}
}
