import { beforeAll, describe, expect, test } from 'vitest';
import { PiiDetector } from '../../src-main/core/privacy/index';
import { found } from './foundTexts';

// Addresses read whole with their floor, door, district and postcode; organisations with Romance legal forms;
// places used as product names (issue #12). Examples written for these tests.
beforeAll(() => PiiDetector.loadLanguageAnalysis());

describe('ADDRESS read to its end', () => {
  test.each([
    [
      'Spanish floor and door, then postcode and city',
      'Envío a Calle de Goya 61, 3º B, 28001 Madrid.',
      'Calle de Goya 61, 3º B, 28001 Madrid'
    ],
    [
      'Brazilian flat, district, state and CEP',
      'Endereço: Rua Oscar Freire, 379, apto 12, Jardins, São Paulo - SP, 01426-001',
      'Rua Oscar Freire, 379, apto 12, Jardins, São Paulo - SP, 01426-001'
    ],
    [
      'Mexican avenue with colonia',
      'Dirección: Av. Universidad 1330, Col. Del Carmen, 04100 Ciudad de México, CDMX',
      'Av. Universidad 1330, Col. Del Carmen, 04100 Ciudad de México, CDMX'
    ],
    ['Dutch floor and postcode', 'Office: Herengracht 180-II, 1016 BR Amsterdam', 'Herengracht 180-II, 1016 BR Amsterdam'],
    ['Polish flat number', 'Adres: ul. Długa 17 m. 4, 80-827 Gdańsk', 'ul. Długa 17 m. 4, 80-827 Gdańsk'],
    ['Colombian numbered street', 'Enviar a Calle 93 # 11-26, Bogotá por favor', 'Calle 93 # 11-26, Bogotá'],
    ['Indian PIN after a space', 'Site visit: 4/21 Anna Salai, Teynampet, Chennai 600018', '4/21 Anna Salai, Teynampet, Chennai 600018']
  ])('%s', (_, text, address) => {
    expect(found(text, 'ADDRESS')).toEqual([address]);
  });

  test('stops before words that are no part of an address', () => {
    expect(found('Meet at 14 Lime Grove, Bristol BS6 5PX, Thanks Sam and Priya', 'ADDRESS')).toEqual(['14 Lime Grove, Bristol BS6 5PX']);
  });
});

describe('ORGANIZATION with Romance and German forms', () => {
  test.each([
    ['Portuguese Lda.', 'Contrato com Ferreira & Costa Lda. assinado.', ['Ferreira & Costa Lda.']],
    ['a particle inside the name', 'Cuenta en Caixa Regional de Crédito desde 2019.', ['Caixa Regional de Crédito']],
    ['an insurer by its sector word', 'Aseguradora: Meridiano Seguros', ['Meridiano Seguros']]
  ])('%s', (_, text, organizations) => {
    expect(found(text, 'ORGANIZATION')).toEqual(organizations);
  });
});

describe('LOCATION', () => {
  test('a place before an everyday word names a product, not a place', () => {
    expect(found('New this season: Denver Boot, Havana Sandal and Oslo Jacket.', 'LOCATION')).toEqual([]);
  });

  test('a place before a kind of place stays a place', () => {
    expect(found('She moved from Lagos State to Kano State last year.', 'LOCATION')).toEqual(['Lagos State', 'Kano State']);
  });
});

describe('table columns named in other languages', () => {
  test('French surname, given name and town columns', () => {
    const table = 'Nom,Prénom,Ville\nLefèvre,Camille,Lyon\nMoreau,Hugo,Nantes';
    expect(found(table, 'LOCATION')).toEqual(['Lyon', 'Nantes']);
    expect(found(table, 'PERSON')).toEqual(expect.arrayContaining(['Lefèvre', 'Camille', 'Moreau', 'Hugo']));
  });
});
