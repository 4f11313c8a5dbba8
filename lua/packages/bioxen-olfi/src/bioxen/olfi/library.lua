-- The MVOC library (same content as resources/olfi/mvoc-library.json; a test keeps them equal).
-- Names are canonical: upper case, '_' separated. band: RFC frequency band (low/medium/high).
return {
  { name = "ACETOIN", display_name = "Acetoin", chemical_class = "hydroxyketone", band = "medium", cas = "513-86-0", roles = { "sync", "status" }, colour = "#f2c14e" },
  { name = "ETHANOL", display_name = "Ethanol", chemical_class = "alcohol", band = "low", cas = "64-17-5", roles = { "address" }, colour = "#5fa8d3" },
  { name = "2_METHYLBUTANOL", display_name = "2-Methylbutanol", chemical_class = "alcohol", band = "low", cas = "137-32-6", roles = { "address", "status" }, colour = "#3d7cc9" },
  { name = "ISOAMYL_ACETATE", display_name = "Isoamyl acetate", chemical_class = "ester", band = "medium", cas = "123-92-2", roles = { "address" }, colour = "#9b7fd1" },
  { name = "PHENYLETHANOL", display_name = "2-Phenylethanol", chemical_class = "alcohol", band = "low", cas = "60-12-8", roles = { "address" }, colour = "#e58fb7" },
  { name = "ACETALDEHYDE", display_name = "Acetaldehyde", chemical_class = "aldehyde", band = "medium", cas = "75-07-0", roles = { "control" }, colour = "#f78c40" },
  { name = "DIACETYL", display_name = "Diacetyl", chemical_class = "diketone", band = "medium", cas = "431-03-8", roles = { "control" }, colour = "#e0a030" },
  { name = "HEXANOL", display_name = "1-Hexanol", chemical_class = "alcohol", band = "low", cas = "111-27-3", roles = { "data" }, colour = "#4fc3a1" },
  { name = "OCTANOL", display_name = "1-Octanol", chemical_class = "alcohol", band = "low", cas = "111-87-5", roles = { "data" }, colour = "#38a883" },
  { name = "DECANOL", display_name = "1-Decanol", chemical_class = "alcohol", band = "low", cas = "112-30-1", roles = { "data" }, colour = "#2a8c6a" },
  { name = "DODECANOL", display_name = "1-Dodecanol", chemical_class = "alcohol", band = "low", cas = "112-53-8", roles = { "data" }, colour = "#1f6f54" },
  { name = "BUTANOIC_ACID", display_name = "Butanoic acid", chemical_class = "organic acid", band = "low", cas = "107-92-6", roles = { "data" }, colour = "#b5d334" },
  { name = "HEXANOIC_ACID", display_name = "Hexanoic acid", chemical_class = "organic acid", band = "low", cas = "142-62-1", roles = { "data" }, colour = "#93b52a" },
  { name = "OCTANOIC_ACID", display_name = "Octanoic acid", chemical_class = "organic acid", band = "low", cas = "124-07-2", roles = { "data" }, colour = "#74921f" },
  { name = "DIMETHYL_SULFIDE", display_name = "Dimethyl sulfide", chemical_class = "sulfur compound", band = "high", cas = "75-18-3", roles = { "checksum", "emergency" }, colour = "#e5484d" },
  { name = "HYDROGEN_SULFIDE", display_name = "Hydrogen sulfide", chemical_class = "sulfur compound", band = "high", cas = "7783-06-4", roles = { "emergency" }, colour = "#b8262b" },
  { name = "BENZALDEHYDE", display_name = "Benzaldehyde", chemical_class = "aldehyde", band = "medium", cas = "100-52-7", roles = { "terminator" }, colour = "#c9c9c9" },
  { name = "ETHYL_ACETATE", display_name = "Ethyl acetate", chemical_class = "ester", band = "medium", cas = "141-78-6", roles = { "coordination", "ack" }, colour = "#7ad0f0" },
  { name = "BUTANOL", display_name = "1-Butanol", chemical_class = "alcohol", band = "low", cas = "71-36-3", roles = { "coordination" }, colour = "#6d8fb0" },
  { name = "ISOPRENE", display_name = "Isoprene", chemical_class = "terpene", band = "high", cas = "78-79-5", roles = { "data" }, colour = "#ff6fd8" },
}
