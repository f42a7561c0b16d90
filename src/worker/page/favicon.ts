/** The site icon (a 32 x 32 PNG in an ICO container): a disc split red/green by a rising line. */
export const FAVICON_ICO = Uint8Array.from(
  atob(
    'AAABAAEAICAAAAEAIADUAAAAFgAAAIlQTkcNChoKAAAADUlIRFIAAAAgAAAAIAgGAAAAc3p69AAAAJtJREFUeNrV18ENgCAQRFGq' +
      '8EQr9mZbVqfBxMSIkIWdmY2T7Pn9I6T0py3belguBKXEeHFXBAqfikDjQxEs3BTBxrsRKrwZoYLvyQPek+Ff23O+jhrQg6kBFpgS' +
      'MAJDA2ZgSIAHdgUg4KkAJDwUwIBNAUy4CnhGKOAKL1PBpgAm3AwoU8BNXBVheheG4qyIqb9BKI6KgP4TQ1D2Ttde/ZBJTUbeAAAA' +
      'AElFTkSuQmCC',
  ),
  (c) => c.charCodeAt(0),
);
