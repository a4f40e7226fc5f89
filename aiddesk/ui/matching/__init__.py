"""The Matching screen: ready requests, the volunteers suggested for each, planning a run."""
