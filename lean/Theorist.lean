import Theorist.Higgs.Potential
import Theorist.TwoHDM.Potential
import Theorist.Anomaly.StandardModel
import Theorist.Lorentz.Boost
import Theorist.Oscillator.Energy
