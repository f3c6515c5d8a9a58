import Theorist.Higgs.Potential
