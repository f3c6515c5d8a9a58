import Theorist.Higgs.Potential
import Theorist.TwoHDM.Stability
import Theorist.Anomaly.StandardModel
import Theorist.Lorentz.Boost
import Theorist.Oscillator.Energy
