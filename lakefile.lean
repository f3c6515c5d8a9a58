import Lake
open Lake DSL

-- theorist's own physics library: the worked example that the README runs `theorist` on.
package theorist where
  leanOptions := #[⟨`autoImplicit, false⟩]

require mathlib from git
  "https://github.com/leanprover-community/mathlib4.git" @ "v4.22.0"

@[default_target]
lean_lib Theorist where
  srcDir := "lean"
