import { rupees, toPaise, toRupeeText } from './money';

describe('console rupee amounts', () => {
  it('parses rupees to paise exactly and formats them back', () => {
    expect([
      toPaise('250'),
      toPaise('250.5'),
      toPaise('0.07'),
      toPaise('1.234'),
      toPaise('-1'),
      toPaise(''),
    ]).toEqual([25000, 25050, 7, null, null, null]);
    expect([rupees(12345670), rupees(-5), toRupeeText(25050)]).toEqual(['₹1,23,456.70', '-₹0.05', '250.50']);
  });
});
