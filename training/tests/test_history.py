"""The model card's training history comes from training/history.json through the manifest."""
import json
import unittest
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
import export
import model_card


class HistoryTest(unittest.TestCase):
    def test_phases_are_in_step_order_and_cut_at_the_checkpoint(self):
        steps = [ph["fromStep"] for ph in json.loads((ROOT / "training" / "history.json").read_text())["phases"]]
        self.assertEqual(steps, sorted(set(steps)))
        self.assertEqual(steps[0], 0)
        cut = export.phases_until(steps[2] + 1)
        self.assertEqual([ph["fromStep"] for ph in cut], steps[:3])
        # A phase that starts at the checkpoint's own step trained nothing in it.
        self.assertEqual(len(export.phases_until(steps[2])), 2)

    def test_the_shipped_manifest_records_the_phases_of_its_checkpoint(self):
        manifest = json.loads((ROOT / "models" / "manifest.json").read_text())
        entry = next(m for m in manifest["models"] if m["role"] == "inpaint")
        self.assertEqual(entry["training"]["phases"], export.phases_until(entry["training"]["steps"]))

    def test_the_card_lists_each_phase(self):
        phases = export.phases_until(10_000)
        text = model_card.phases_list(phases)
        self.assertEqual(text.count("\n") + 1, len(phases))
        self.assertIn("from step 8,850:", text)
        self.assertIn("not recorded", model_card.phases_list([]))


if __name__ == "__main__":
    unittest.main()
