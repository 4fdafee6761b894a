package gen

import (
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/randfill"
)

// FillObject fills every field of obj (a pointer to an API object) at
// random from seed, so that the defaulting comparison also meets fields
// and combinations nobody wrote a generator for. Quantities come in every
// internal form the API server can hold, including ones that need rounding
// to milli-units; opaque JSON (a ControllerRevision's data, managed
// fields) is kept valid JSON so that the object still marshals.
func FillObject(seed int64, obj any) {
	f := randfill.NewWithSeed(seed).NilChance(0.3).NumElements(0, 2).MaxDepth(12).Funcs(
		func(q *resource.Quantity, c randfill.Continue) {
			*q = randomQuantity(c.Intn(6), c.Int63n(1_000_000))
		},
		func(r *runtime.RawExtension, c randfill.Continue) {
			if c.Bool() {
				r.Raw = []byte(`{"spec":{"template":{"metadata":{"labels":{"a":"b"}}}}}`)
			}
		},
		func(f *metav1.FieldsV1, c randfill.Continue) {
			f.SetRawString(`{"f:metadata":{}}`)
		},
	)
	f.Fill(obj)
}

// randomQuantity builds a quantity of value v in one of several scales and
// formats: milli-exact, nano (rounded up by defaulting), binary, plain
// integers, and a decimal-backed one (inf.Dec) below the nano scale.
func randomQuantity(form int, v int64) resource.Quantity {
	switch form {
	case 0:
		return *resource.NewMilliQuantity(v, resource.DecimalSI)
	case 1:
		return *resource.NewScaledQuantity(v, resource.Nano)
	case 2:
		return *resource.NewQuantity(v, resource.BinarySI)
	case 3:
		return *resource.NewScaledQuantity(v, resource.Micro)
	case 4:
		return resource.MustParse("0.0000000001")
	default:
		return *resource.NewQuantity(v, resource.DecimalSI)
	}
}
