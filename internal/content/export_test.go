package content

import (
	"reflect"

	"disclose/internal/model"
)

var Suggest = suggest

func ReportType() reflect.Type { return reflect.TypeFor[model.Report]() }
