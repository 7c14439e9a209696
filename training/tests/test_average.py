"""A weight soup is the element-wise mean of the snapshots' weights."""
import unittest

import torch

from patina_train.average import mean_weights


class AverageTest(unittest.TestCase):
    def test_floats_are_averaged_and_counters_kept(self):
        a = {"w": torch.tensor([1.0, 3.0]), "n": torch.tensor(4)}
        b = {"w": torch.tensor([3.0, 5.0]), "n": torch.tensor(9)}
        out = mean_weights([a, b])
        torch.testing.assert_close(out["w"], torch.tensor([2.0, 4.0]))
        self.assertEqual(int(out["n"]), 9)

    def test_different_networks_and_no_input_are_refused(self):
        with self.assertRaises(ValueError):
            mean_weights([{"w": torch.zeros(1)}, {"v": torch.zeros(1)}])
        with self.assertRaises(ValueError):
            mean_weights([])


if __name__ == "__main__":
    unittest.main()
